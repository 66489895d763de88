"""Roster rules (plan 五(五); D21 art. 21, 25): who is on a month's roster, totals, versions, the
difference between versions, and the canonical export the checksum covers. Money in integer fen.

The same rules run in SQL for whole districts (adapters/roster_sql.py); tests hold both to the
same answers.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from jiuzhu_contracts.money import yuan

HEADER = "jurisdiction,case_id,category,month,amount_fen,name,account,kind"

# 城乡低收入家庭 are recognised and registered, not paid (D21 art. 8: per-capita income below
# 1.5 × the dibao standard; the recognition opens special assistance — medical, education,
# housing, employment — and the kernel's assessment gives it no monthly amount). They stay on the
# register, are re-reviewed and counted, and never reach a roster, finance or the fund plan.
REGISTERED_ONLY = ("low_income",)
REGISTERED_ONLY_RULE = ("D21第8条：低收入家庭经认定登记，不发放按月保障金 / a low-income household is "
                        "registered, not paid: never on a roster, in a payment or in the fund plan")


def payable(category: str, amount_fen: int) -> bool:
    """Whether a register entry is paid: never a registered-only category, never a line of 0 fen
    (a roster is a list of payments for finance; a 0-fen line pays no one)."""
    return category not in REGISTERED_ONLY and amount_fen > 0


@dataclass(frozen=True)
class Line:
    jurisdiction: str
    case_id: str
    category: str
    month: str
    amount_fen: int
    name: str
    account: str
    kind: str  # monthly | one_off | carried

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.case_id, self.category, self.month)


def next_month(month: str) -> str:
    year, m = map(int, month.split("-"))
    return f"{year + m // 12}-{m % 12 + 1:02d}"


def months(start: str, count: int) -> list[str]:
    out = [start]
    while len(out) < count:
        out.append(next_month(out[-1]))
    return out


def active_in(month: str, from_month: str, until_month: str | None) -> bool:
    """Paid from the month after the decision (first_month_paid) through the last month paid."""
    return from_month <= month and (until_month is None or month <= until_month)


def quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def canonical_line(line: Line) -> str:
    return ",".join((line.jurisdiction, line.case_id, line.category, line.month, str(line.amount_fen),
                     quote(line.name), quote(line.account), line.kind))


def order(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda l: (l.jurisdiction, l.case_id, l.category, l.month))


def checksum(lines: list[Line]) -> str:
    """SHA-256 of the canonical export: the header and every line, each ending in a newline."""
    body = HEADER + "\n" + "".join(canonical_line(l) + "\n" for l in order(lines))
    return hashlib.sha256(body.encode()).hexdigest()


def totals(lines: list[Line]) -> dict[str, tuple[int, int]]:
    """category → (lines, amount in fen)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        out[line.category][0] += 1
        out[line.category][1] += line.amount_fen
    return {k: (v[0], v[1]) for k, v in sorted(out.items())}


def describe(before: Line | None, after: Line | None) -> str:
    """One readable line of a difference: + added, - removed, ~ amount changed."""
    if before is None:
        return f"+ {after.case_id} {after.category} {after.month} {after.name} {yuan(after.amount_fen)}元"
    if after is None:
        return f"- {before.case_id} {before.category} {before.month} {before.name} {yuan(before.amount_fen)}元"
    return (f"~ {before.case_id} {before.category} {before.month} {before.name} {yuan(before.amount_fen)}元 → "
            f"{yuan(after.amount_fen)}元")


def difference(old: list[Line], new: list[Line], limit: int = 1000) -> dict:
    """What changed between two versions, readably: added, removed, changed amounts."""
    before, after = {l.key: l for l in old}, {l.key: l for l in new}
    added = [after[k] for k in sorted(after.keys() - before.keys())]
    removed = [before[k] for k in sorted(before.keys() - after.keys())]
    changed = [(before[k], after[k]) for k in sorted(before.keys() & after.keys())
               if before[k].amount_fen != after[k].amount_fen]
    text = ([describe(None, l) for l in added] + [describe(l, None) for l in removed]
            + [describe(b, a) for b, a in changed])
    return {"added": len(added), "removed": len(removed), "changed": len(changed), "lines": text[:limit],
            "truncated": len(text) > limit}
