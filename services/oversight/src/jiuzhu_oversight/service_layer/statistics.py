"""Monthly statistics for the city bureau (plan 四(一)6): per month, jurisdiction and category —
applications, acceptances, approvals, refusals, withdrawals, working days per stage, breaches (in
all, and per clock: which stage was late, plan 六(二)), active households and amounts."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from sqlalchemy import func, select, text

from jiuzhu_contracts.base import Category

from jiuzhu_oversight.adapters.tables import register
from jiuzhu_oversight.domain.clocks import CLOCKS
from jiuzhu_oversight.service_layer.context import Oversight

COLUMNS = ("month", "jurisdiction", "jurisdiction_name", "category", "applications", "acceptances", "approvals",
           "refusals", "withdrawals", "breaches", "avg_working_days_acceptance_to_visit",
           "avg_working_days_visit_to_review", "avg_working_days_review_to_decision", "active_households",
           "active_amount_fen")
HEADERS_ZH = ("月份", "辖区代码", "辖区", "类别", "申请", "受理", "批准", "不予批准", "撤回及视为放弃", "超时",
              "受理至入户（工作日）", "入户至审核（工作日）", "审核至决定（工作日）", "在保户数", "在保金额（分）")
# The breaches of a month per clock (the stage that was late): ``breaches_by_clock`` in the JSON, a
# column each beside "breaches" in the CSV/XLSX. Every clock oversight keeps, in the procedure's order.
BREACH_CLOCKS = tuple(dict.fromkeys(spec.name for spec in CLOCKS))
BREACH_CLOCKS_ZH = {"investigation": "入户调查核实", "review": "审核", "reinvestigation": "重新调查核实",
                    "decision": "审核确认", "refusal_notice": "不予批准书面通知"}
COUNTED = {"application_accepted": "acceptances", "case_approved": "approvals", "case_refused": "refusals",
           "application_withdrawn": "withdrawals", "application_deemed_withdrawn": "withdrawals",
           "deadline_breached": "breaches"}


async def monthly(ctx: Oversight, month: str) -> list[dict]:
    tz = ctx.config.district.timezone
    rows: dict[tuple[str, str], dict] = {}
    for j in ctx.config.jurisdictions:
        for c in Category:
            rows[(j.code, c.value)] = {k: 0 for k in COLUMNS} | {
                "month": month, "jurisdiction": j.code, "jurisdiction_name": j.name, "category": c.value,
                "breaches_by_clock": dict.fromkeys(BREACH_CLOCKS, 0)}
    async with ctx.unit_of_work() as uow:
        s = uow.session
        counted = await s.execute(text(
            "SELECT jurisdiction, category, event_type, count(*) AS n, count(DISTINCT case_id) AS d, "
            "CASE WHEN event_type = 'deadline_breached' THEN body->'payload'->>'clock' END AS clock FROM audit_log "
            "WHERE to_char(occurred_at AT TIME ZONE :tz, 'YYYY-MM') = :month AND category IS NOT NULL "
            "GROUP BY jurisdiction, category, event_type, clock"), {"tz": tz, "month": month})
        for r in counted:
            row = rows.get((r.jurisdiction, r.category))
            if row is None:
                continue
            if r.event_type == "application_submitted":
                row["applications"] += r.d  # an application counts once, however often it was resubmitted
            elif r.event_type in COUNTED:
                row[COUNTED[r.event_type]] += r.n
            if r.event_type == "deadline_breached":
                by_clock = row["breaches_by_clock"]
                by_clock[r.clock or "unknown"] = by_clock.get(r.clock or "unknown", 0) + r.n
        decided = (await s.execute(select(register).where(
            func.to_char(register.c.decided_on, "YYYY-MM") == month))).all()
        active = (await s.execute(select(register.c.jurisdiction, register.c.category, func.count(),
                                         func.sum(register.c.amount_fen))
                                  .where(register.c.stage == "approved", register.c.ended.is_(False),
                                         register.c.category != Category.TEMPORARY.value,
                                         register.c.first_month_paid <= month)
                                  .group_by(register.c.jurisdiction, register.c.category))).all()
    spans: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for r in decided:
        for name, start, end in (("acceptance_to_visit", r.accepted_on, r.visited_on),
                                 ("visit_to_review", r.visited_on, r.reviewed_on),
                                 ("review_to_decision", r.reviewed_on, r.decided_on)):
            if start and end:
                spans[(r.jurisdiction, r.category)][name].append(ctx.calendar.between(start, end))
    for key, by_stage in spans.items():
        if key in rows:
            for name, values in by_stage.items():
                rows[key][f"avg_working_days_{name}"] = round(sum(values) / len(values), 1)
    for jurisdiction, category, n, amount in active:
        if (jurisdiction, category) in rows:
            rows[(jurisdiction, category)] |= {"active_households": n, "active_amount_fen": int(amount or 0)}
    return list(rows.values())


def _headers() -> list[str]:
    """The Chinese headers, with a column per clock right after "breaches"."""
    at = COLUMNS.index("breaches") + 1
    return [*HEADERS_ZH[:at], *(f"超时·{BREACH_CLOCKS_ZH.get(c, c)}" for c in BREACH_CLOCKS), *HEADERS_ZH[at:]]


def _cells(row: dict) -> list:
    at = COLUMNS.index("breaches") + 1
    by_clock = row.get("breaches_by_clock") or {}
    return [*(row[c] for c in COLUMNS[:at]), *(by_clock.get(c, 0) for c in BREACH_CLOCKS),
            *(row[c] for c in COLUMNS[at:])]


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    for row in rows:
        writer.writerow(_cells(row))
    return out.getvalue()


def to_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = rows[0]["month"] if rows else "statistics"
    sheet.append(_headers())
    for row in rows:
        sheet.append(_cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
