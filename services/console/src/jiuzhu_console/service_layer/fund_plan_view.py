"""资金需求预测 (issue 16 item 4) as the finance page shows it: disbursement's projection lines summed
per month into the parts of the need — what is in force less the expected exits, the expected new
approvals, temporary assistance and the standard raise — which add up to the projected need."""

from __future__ import annotations

PARTS = (("在保（扣除预计退出）", ("in_force_amount_fen", "-expected_exit_amount_fen")),
         ("预计新增", ("expected_new_amount_fen",)), ("临时救助", ("temporary_amount_fen",)),
         ("提标增加", ("standard_raise_fen",)))


def _value(row: dict, field: str) -> int:
    return -int(row[field[1:]]) if field.startswith("-") else int(row[field])


def months_of(plan: dict) -> list[str]:
    return list(dict.fromkeys(r["month"] for r in plan.get("rows", [])))


def parts_yuan(plan: dict) -> dict[str, list[float]]:
    """One series per part, one value (元) per month: a stacked chart whose bars are the projected need."""
    months = months_of(plan)
    out = {name: [0] * len(months) for name, _ in PARTS}
    index = {m: i for i, m in enumerate(months)}
    for r in plan.get("rows", []):
        for name, fields in PARTS:
            out[name][index[r["month"]]] += sum(_value(r, f) for f in fields)
    return {name: [v / 100 for v in values] for name, values in out.items()}


def short_labels(months: list[str]) -> list[str]:
    """Month labels narrow enough for twelve under one chart: the year on the first and on January."""
    return [f"{int(m[:4])}年{int(m[5:])}月" if i == 0 or m.endswith("-01") else f"{int(m[5:])}月"
            for i, m in enumerate(months)]
