"""Amounts typed in 元 on a form, turned into the integer fen the services take (never a float:
``Decimal`` on the text as typed, so 0.1 + 0.2 is exactly 0.30 元 = 30 fen)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

YUAN_RULE = "请填写以元为单位的金额，最多两位小数，不能为负数（例如 1300 或 1300.50）"


class NotAnAmount(ValueError):
    pass


LARGEST_YUAN = Decimal(10) ** 12  # far above any limit in [limits]; keeps Decimal arithmetic exact


def yuan_to_fen(text: str | None, *, blank: int | None = None) -> int | None:
    """``"1,300.5"`` → ``130050``. Blank text gives ``blank``; anything else that is not a
    non-negative amount with at most two decimals raises ``NotAnAmount`` with the rule to show."""
    cleaned = (text or "").strip().replace(",", "").replace("，", "").replace("元", "").replace("¥", "")
    if not cleaned:
        return blank
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise NotAnAmount(YUAN_RULE) from None
    if not amount.is_finite() or amount < 0 or amount > LARGEST_YUAN or amount != amount.quantize(Decimal("0.01")):
        raise NotAnAmount(YUAN_RULE)
    return int(amount * 100)


def fen_to_yuan_text(fen: int | None) -> str:
    """The value a 元 input shows for an amount in fen: ``130050`` → ``"1300.50"``."""
    if fen is None:
        return ""
    return f"{Decimal(int(fen)) / 100:.2f}"
