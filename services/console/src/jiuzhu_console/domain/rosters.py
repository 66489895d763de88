"""What the finance pages show of disbursement's rosters (plan 五(五): the bureau compiles the
month's roster and submits it to finance, finance pays and confirms): the business month, the
difference from last month's roster, where each line stands (submitted, paid, failed), and the
payment form's lines.
Disbursement decides all of it; these only arrange what it returns."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

ROSTER_ID = re.compile(r"^R-\d{6,12}-\d{4}-(0[1-9]|1[0-2])-v\d{1,6}\Z", re.ASCII)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])\Z", re.ASCII)

STATUS = {"compiled": "已编制（未报送）", "superseded": "已被新版本替代", "submitted": "已报送财政"}
KIND = {"monthly": "按月发放", "one_off": "一次性发放", "carried": "上期失败补发"}
# disbursement describes a version difference line by line: "+ …" added, "- …" removed, "~ …" amount changed
CHANGE = {"+": "新增", "-": "减少", "~": "金额变化"}


def business_month(today: dt.date) -> str:
    return f"{today.year}-{today.month:02d}"


def valid_month(month: str | None) -> bool:
    return bool(month and MONTH.match(month))


def previous_month(month: str) -> str:
    year, m = map(int, month.split("-"))
    return f"{year - 1}-12" if m == 1 else f"{year}-{m - 1:02d}"


def month_zh(month: str) -> str:
    year, m = month.split("-")
    return f"{year}年{int(m)}月"


def current_of(rosters: list[dict], scope: str) -> dict | None:
    """The roster of a scope that counts for its month: the submitted one (a submission locks it),
    else the newest version not superseded."""
    mine = [r for r in rosters if r["scope"] == scope]
    submitted = [r for r in mine if r["status"] == "submitted"]
    pool = submitted or [r for r in mine if r["status"] != "superseded"] or mine
    return max(pool, key=lambda r: r["version"]) if pool else None


@dataclass(frozen=True)
class CategoryChange:
    category: str
    households: int
    households_before: int
    amount_fen: int
    amount_fen_before: int

    @property
    def households_delta(self) -> int:
        return self.households - self.households_before

    @property
    def amount_delta(self) -> int:
        return self.amount_fen - self.amount_fen_before


def totals_of(totals: dict | None) -> dict[str, tuple[int, int]]:
    """Disbursement's ``totals``: {category: [households, amount_fen]}."""
    return {c: (int(v[0]), int(v[1])) for c, v in (totals or {}).items()}


def month_difference(current: dict | None, before: dict | None) -> list[CategoryChange]:
    """Per category, this roster against last month's roster of the same scope; a last row "total"."""
    now, then = totals_of((current or {}).get("totals")), totals_of((before or {}).get("totals"))
    rows = [CategoryChange(c, *_pair(now.get(c), then.get(c))) for c in sorted(set(now) | set(then))]
    rows.append(CategoryChange("total", sum(r.households for r in rows), sum(r.households_before for r in rows),
                               sum(r.amount_fen for r in rows), sum(r.amount_fen_before for r in rows)))
    return rows


def _pair(now, then) -> tuple[int, int, int, int]:
    now, then = now or (0, 0), then or (0, 0)
    return now[0], then[0], now[1], then[1]


# Where a line stands (disbursement's payment claims): submitted to finance and awaiting its
# confirmation, paid, or failed (a failed line is paid again from next month's roster, plan 五(五)).
STANDING = {"submitted": "待确认", "paid": "已发放", "failed": "发放失败"}


@dataclass(frozen=True)
class Standing:
    """The lines of a submitted roster as disbursement's ``GET /rosters/{rid}/payments`` lists them."""
    lines: list[dict]  # case_id, category, month, amount_fen, status, failure_reason
    complete: bool  # False: the list stopped at the service's limit, the counts are of the lines listed

    def of(self, status: str) -> list[dict]:
        return [line for line in self.lines if line["status"] == status]

    @property
    def awaiting(self) -> list[dict]:
        return self.of("submitted")

    @property
    def confirmed(self) -> list[dict]:
        """Failed lines first (they need attention), then the paid ones."""
        return self.of("failed") + self.of("paid")

    @property
    def counts(self) -> list[tuple[str, int, int]]:
        """(status, lines, amount_fen) for awaiting, paid and failed, in that order, and "total" last."""
        rows = [(s, len(got := self.of(s)), sum(int(l["amount_fen"]) for l in got)) for s in STANDING]
        return rows + [("total", sum(r[1] for r in rows), sum(r[2] for r in rows))]


def standing(claims: list[dict], limit: int, roster_lines: int) -> Standing:
    """The claims fetched with ``limit``: as many as the limit, and fewer than the roster's lines,
    means there may be more."""
    return Standing(list(claims), complete=len(claims) < limit or len(claims) >= roster_lines)


def standing_limit(roster_lines: int, most: int) -> int:
    """Ask for one line more than the roster holds (so a full answer is known to be complete), at most ``most``."""
    return max(1, min(int(roster_lines) + 1, most))


@dataclass(frozen=True)
class PaymentForm:
    lines: list[dict]  # PaymentIn bodies
    shown_at: list[int]  # the form's row number of each line sent

    def field_of(self, api_field: str) -> str:
        """``lines.3.failure_reason`` of the API (the 4th line sent) → the form's ``lines.<row>.failure_reason``."""
        parts = api_field.split(".")
        if len(parts) >= 2 and parts[0] == "lines" and parts[1].isdigit() and int(parts[1]) < len(self.shown_at):
            parts[1] = str(self.shown_at[int(parts[1])])
        return ".".join(parts)


def payment_form(form: dict[str, str], count: int) -> PaymentForm:
    """From the line-by-line form: each row ``lines.<i>.case_id/category/month`` with a status chosen
    (``lines.<i>.status`` paid or failed; empty: not confirmed now) and, when failed, its reason."""
    lines, shown = [], []
    for i in range(count):
        status = (form.get(f"lines.{i}.status") or "").strip()
        if not status:
            continue
        reason = (form.get(f"lines.{i}.failure_reason") or "").strip() or None
        lines.append({"case_id": form.get(f"lines.{i}.case_id", ""), "category": form.get(f"lines.{i}.category", ""),
                      "month": form.get(f"lines.{i}.month", ""), "status": status,
                      "failure_reason": reason if status == "failed" else None})
        shown.append(i)
    return PaymentForm(lines, shown)
