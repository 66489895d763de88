"""What the district's bureau sees and may do (plan 五(四) 备案抽查, 六(二) 书面限期整改, 四(一)6 月度统计):
its tabs by role — mirroring oversight's ``access.allow(...)``, which still decides — and the
arithmetic its pages show (worklists most urgent first, spot-check outcomes, monthly totals)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from jiuzhu_contracts.base import Category, Role

from jiuzhu_console.domain.person import Person

INS, BA, AUD = Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR
READERS = (INS, BA, AUD)

# What oversight lets each district role do (services/oversight/.../entrypoints/{http,alerts,audit}.py).
MAY = {
    "read": READERS,            # deadlines, register, spot checks, orders, alerts, statistics, dead letters
    "draw": (INS,),             # POST /spot-checks/draw
    "findings": (INS,),         # POST /spot-checks/{case_id}/findings
    "redraw": (AUD, INS),       # GET /spot-checks/redraw
    "order": (INS,),            # POST /rectifications
    "verify": (AUD,),           # GET /audit/verify
    "checkpoint": (AUD, BA),    # POST /audit/checkpoints
}


def may(person: Person, action: str) -> bool:
    """Only district staff act on the district's supervision; a jurisdiction's token is refused."""
    return person.at_district and person.has(*MAY[action])


@dataclass(frozen=True)
class Tab:
    slug: str
    title: str
    action: str  # the permission that shows it

    @property
    def url(self) -> str:
        return f"/bureau/{self.slug}"


TABS = (Tab("deadlines", "期限", "read"), Tab("filings", "备案", "read"), Tab("spot-checks", "抽查", "read"),
        Tab("rectifications", "整改", "read"), Tab("alerts", "预警", "read"), Tab("security", "安全", "read"),
        Tab("stranded", "滞留", "read"), Tab("audit", "审计", "checkpoint"))


def tabs_for(person: Person) -> list[Tab]:
    return [t for t in TABS if may(person, t.action)]


# --- months ---------------------------------------------------------------------------------------
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])\Z", re.ASCII)


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: dt.date) -> str:
    return month_of(day.replace(day=1) - dt.timedelta(days=1))


def valid_month(value: str | None, default: str) -> str:
    return value if value and MONTH.match(value) else default


def zh_month(month: str) -> str:
    year, m = month.split("-")
    return f"{int(year)}年{int(m)}月"


# --- worklists ------------------------------------------------------------------------------------
def deadline_rows(deadlines: dict, console, today: dt.date) -> list[dict]:
    """Oversight's /deadlines (per jurisdiction: overdue, due soon) as one list, most urgent first."""
    rows = []
    for jurisdiction, kinds in deadlines.items():
        for kind in ("overdue", "due_soon"):
            for item in kinds.get(kind, []):
                rows.append({**item, "jurisdiction": jurisdiction, "d": console.deadline(item["due_on"], today)})
    return sorted(rows, key=lambda r: (r["d"].urgency, r["d"].due_on or dt.date.max, r["case_id"]))


def overdue_by_clock(deadlines: dict) -> Counter:
    """Overdue duties now, counted by the stage (clock) that is late."""
    return Counter(item["clock"] for kinds in deadlines.values() for item in kinds.get("overdue", []))


def order_rows(orders: list[dict], console, today: dt.date) -> list[dict]:
    """Rectification orders: unanswered first, most urgent first; answered ones after, newest first."""
    rows = [{**o, "d": console.deadline(o["due_on"], today)} for o in orders]
    open_ = sorted((r for r in rows if not r.get("answered_on")), key=lambda r: (r["d"].urgency, r["due_on"]))
    done = sorted((r for r in rows if r.get("answered_on")), key=lambda r: r["answered_on"], reverse=True)
    return open_ + done


def filings(cases: list[dict], month: str | None = None) -> list[dict]:
    """Decided cases (filed with the district on decision, plan 五(四)), newest decision first;
    ``month``: only those decided in it."""
    decided = [c for c in cases if c.get("decided_on")]
    if month:
        decided = [c for c in decided if str(c["decided_on"]).startswith(month)]
    return sorted(decided, key=lambda c: (str(c["decided_on"]), c["case_id"]), reverse=True)


# --- spot checks ----------------------------------------------------------------------------------
FINDINGS = (("target_correct", "对象认定是否准确"), ("procedure_followed", "办理程序是否规范"),
            ("materials_complete", "审批材料是否齐全"))
BECAUSE = {"random": "随机抽取", "close_relative": "近亲属备案（必抽）", "objection": "公示有异议（必抽）",
           "reported": "举报（必抽）"}
OUTCOME = {"pending": "待反馈", "ok": "规范", "problems": "存在问题"}


def outcome(check: dict) -> str:
    if not check.get("completed_on"):
        return "pending"
    findings = check.get("findings") or {}
    return "ok" if all(findings.get(name) for name, _ in FINDINGS) else "problems"


def outcome_counts(checks: list[dict]) -> dict[str, int]:
    counts = Counter(outcome(c) for c in checks)
    return {OUTCOME[k]: counts.get(k, 0) for k in ("ok", "problems", "pending")}


def parse_findings(form: dict) -> tuple[dict, dict[str, str]]:
    """The findings form: each of the three answered 是/否, and written feedback (the API's field names)."""
    body: dict = {}
    errors: dict[str, str] = {}
    for name, label in FINDINGS:
        value = form.get(name, "")
        if value not in ("yes", "no"):
            errors[name] = f"请选择{label}"
        body[name] = value == "yes"
    body["feedback"] = (form.get("feedback") or "").strip()
    if len(body["feedback"]) < 2:
        errors["feedback"] = "请填写书面反馈意见（至少2个字）"
    return body, errors


# --- monthly statistics ---------------------------------------------------------------------------
COUNTS = (("applications", "申请"), ("acceptances", "受理"), ("approvals", "批准"), ("refusals", "不予批准"),
          ("withdrawals", "撤回及视为放弃"), ("breaches", "超时"))
STAGE_SPANS = (("avg_working_days_acceptance_to_visit", "受理至入户"), ("avg_working_days_visit_to_review", "入户至审核"),
               ("avg_working_days_review_to_decision", "审核至决定"))


def by_jurisdiction(rows: list[dict]) -> list[dict]:
    """Oversight's /statistics rows (jurisdiction × category) summed per jurisdiction, in its order."""
    out: dict[str, dict] = {}
    for r in rows:
        j = out.setdefault(r["jurisdiction"], {"jurisdiction": r["jurisdiction"], "name": r["jurisdiction_name"],
                                               **{k: 0 for k, _ in COUNTS}, "active_households": 0,
                                               "active_amount_fen": 0})
        for k in [k for k, _ in COUNTS] + ["active_households", "active_amount_fen"]:
            j[k] += int(r.get(k) or 0)
    return list(out.values())


def breaches_by_clock(rows: list[dict], jurisdictions: list[str]) -> tuple[list[str], dict[str, list[int]]]:
    """The month's breaches per stage (oversight's ``breaches_by_clock`` of each row, plan 六(二)):
    the clocks in oversight's order, and one series per jurisdiction with a value per clock — for a
    chart stacked by jurisdiction. Rows without the figures (an older oversight) add nothing."""
    clocks: list[str] = []
    for r in rows:
        clocks += [c for c in r.get("breaches_by_clock") or {} if c not in clocks]
    series = {j: [0] * len(clocks) for j in jurisdictions}
    for r in rows:
        if r["jurisdiction"] in series:
            for c, n in (r.get("breaches_by_clock") or {}).items():
                series[r["jurisdiction"]][clocks.index(c)] += int(n or 0)
    return clocks, series


def series_by_category(rows: list[dict], field: str, jurisdictions: list[str]) -> dict[str, list[int]]:
    """One series per category (in Chinese), one value per jurisdiction: for a stacked chart."""
    from jiuzhu_console.domain.labels import CATEGORY

    series = {CATEGORY[c]: [0] * len(jurisdictions) for c in Category}
    index = {j: i for i, j in enumerate(jurisdictions)}
    for r in rows:
        if r["jurisdiction"] in index:
            series[CATEGORY[Category(r["category"])]][index[r["jurisdiction"]]] += int(r.get(field) or 0)
    return series
