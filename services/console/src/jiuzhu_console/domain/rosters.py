"""What the finance pages show of disbursement's rosters (plan 五(五): the bureau compiles the
month's roster and submits it to finance, finance pays and confirms): the business month, the
difference from last month's roster, the lines of an export, and the payment form's lines.
Disbursement decides all of it; these only arrange what it returns."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

ROSTER_ID = re.compile(r"^R-\d{6,12}-\d{4}-(0[1-9]|1[0-2])-v\d{1,6}$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

STATUS = {"compiled": "已编制（未报送）", "superseded": "已被新版本替代", "submitted": "已报送财政"}
KIND = {"monthly": "按月发放", "one_off": "一次性发放", "carried": "上期失败补发"}
PAYMENT = {"paid": "已发放", "failed": "发放失败"}
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


def export_lines(csv_text: str) -> list[dict]:
    """The lines of a roster's CSV export (header ``jurisdiction,case_id,category,month,amount_fen,
    name,account,kind``; the trailer's lines start with "#")."""
    body = "\n".join(line for line in csv_text.splitlines() if line and not line.startswith("#"))
    return [dict(row, amount_fen=int(row["amount_fen"])) for row in csv.DictReader(io.StringIO(body))]


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
