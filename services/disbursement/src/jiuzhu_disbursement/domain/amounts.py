"""A supported household's monthly amount over time (D21 art. 32; 增发 / 减发 / 提标): the amount
it was approved (or imported) with, changed from an effective month on by each later decision.

A roster pays a month at the amount in force *in that month*, so a roster for an earlier month —
compiled before or after the change — keeps the old amount. The same rule runs in SQL
(``adapters/amount_history.py``); tests hold both to the same answers.
"""

from __future__ import annotations

from collections.abc import Mapping


def amount_in(month: str, base_fen: int, changes: Mapping[str, int]) -> int:
    """The amount in ``month``: the latest change effective on or before it, else the base amount.
    ``changes`` maps an effective month (YYYY-MM) to the amount from then on; a later decision for
    the same effective month replaces an earlier one (the caller keeps only the last)."""
    effective = [m for m in changes if m <= month]
    return changes[max(effective)] if effective else base_fen


def register_row(row: dict, month: str, changes: Mapping[str, int]) -> dict:
    """A recipient as the register shows it in ``month``: the amount in force then (``amount_fen``),
    the amount approved or imported with, and its history — that amount from its first month, then
    each change from its effective month, oldest first."""
    approved = row["amount_fen"]
    history = [{"from_month": row["from_month"], "amount_fen": approved, "by": "approval"}] + [
        {"from_month": m, "amount_fen": a, "by": "change"} for m, a in sorted(changes.items())]
    return row | {"amount_fen": amount_in(month, approved, changes), "approved_amount_fen": approved,
                  "amounts": history, "month": month}
