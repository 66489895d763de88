"""The reviewer's form for a temporary case (临时救助; L18 §2(三)–(四), N22 §4; issue 16 item 1): the
amount by need (one-off, in 元), the reason when it is large, and an optional second tranche paid
that many days after the decision (the first, the rest of the amount, on the decision's day). The
band and the tranche rules are verification's; a refusal comes back on the field it names."""

from __future__ import annotations

from jiuzhu_console.domain.yuan_input import NotAnAmount, yuan_to_fen

# The review API's fields → this form's inputs (``tranches.0.after_days`` and the like by their first part).
FIELD_MAP = {"proposed_amount_fen": "proposed_amount_yuan", "tranches": "second_yuan"}


def temporary_fields(values: dict, amount_fen: int) -> tuple[dict, dict[str, str]]:
    """What the review body adds for a temporary case, and the form's own problems."""
    body: dict = {}
    problems: dict[str, str] = {}
    reason = str(values.get("large_amount_reason", "")).strip()
    if reason:
        body["large_amount_reason"] = reason
    try:
        second = yuan_to_fen(values.get("second_yuan"))
    except NotAnAmount as exc:
        problems["second_yuan"] = str(exc)
        second = None
    if second:
        days = str(values.get("second_after_days", "")).strip()
        if not days.isdigit() or int(days) < 1:
            problems["second_after_days"] = "请填写第二笔在决定后第几天发放（1以上的整数）"
        elif second >= amount_fen:
            problems["second_yuan"] = "第二笔金额须小于救助金额（第一笔为其余部分，决定当日发放）"
        else:
            body["tranches"] = [{"amount_fen": amount_fen - second, "after_days": 0},
                                {"amount_fen": second, "after_days": int(days)}]
    return body, problems
