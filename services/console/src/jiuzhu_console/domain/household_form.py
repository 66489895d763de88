"""The investigator's household data (D21 art. 10–14: members, incomes, assets), typed in 元 on
fixed rows, → the body of verification's ``POST /cases/{id}/household``. Blank rows are ignored."""

from __future__ import annotations

from collections.abc import Mapping

from jiuzhu_console.domain.household_rows import member_rows, to_form_field
from jiuzhu_console.domain.tekun_form import form_field as tekun_form_field
from jiuzhu_console.domain.tekun_form import tekun_persons
from jiuzhu_console.domain.yuan_input import NotAnAmount, yuan_to_fen

INCOME_ROWS = 4
ASSET_ROWS = 4
INCOME_KINDS = {"wages": "工资性收入", "business": "经营净收入", "property": "财产净收入",
                "transfer": "转移净收入", "other": "其他收入"}
ASSET_KINDS = {"deposit": "存款", "securities": "有价证券", "vehicle": "机动车辆", "housing": "房产",
               "insurance": "商业保险", "claim": "债权", "other": "其他财产"}
FACTS = {"unable_to_work": "无劳动能力", "no_income_source": "无生活来源",
         "no_capable_supporter": "无法定义务人或其无履行能力", "hardship_confirmed": "急难或支出型困难属实"}
FACT_ANSWERS = ("yes", "no", "unknown")


def _amount_rows(values: Mapping, rows: int, amount_field: str, problems: dict[str, str]):
    """``(row, fen)`` of each row whose amount is filled in and a valid 元 amount; a bad amount's
    rule is kept in ``problems`` under its field."""
    for i in range(rows):
        field = amount_field.format(i)
        amount = str(values.get(field, "")).strip()
        if not amount:
            continue
        try:
            yield i, yuan_to_fen(amount)
        except NotAnAmount as exc:
            problems[field] = str(exc)


def household_body(values: Mapping) -> tuple[dict, dict[str, list[int]], dict[str, str]]:
    problems: dict[str, str] = {}
    members, member_kept = member_rows(values)
    incomes, income_kept = [], []
    for i, fen in _amount_rows(values, INCOME_ROWS, "incomes.{}.monthly_yuan", problems):
        line = {"kind": values.get(f"incomes.{i}.kind") or "other", "monthly_fen": fen}
        whose = str(values.get(f"incomes.{i}.member_id_number", "")).strip()
        if whose:
            line["member_id_number"] = whose
        incomes.append(line)
        income_kept.append(i)
    assets, asset_kept = [], []
    for i, fen in _amount_rows(values, ASSET_ROWS, "assets.{}.value_yuan", problems):
        assets.append({"kind": values.get(f"assets.{i}.kind") or "other", "value_fen": fen,
                       "exempt": bool(values.get(f"assets.{i}.exempt"))})
        asset_kept.append(i)
    facts = {k: values[f"facts.{k}"] for k in FACTS if values.get(f"facts.{k}") in FACT_ANSWERS}
    body = {"members": members, "incomes": incomes, "assets": assets, "facts": facts}
    tekun = tekun_persons(values, members, member_kept, problems)
    if tekun:  # 特困 (T21 art. 5, 21–23)
        body["tekun_persons"] = tekun
    kept = {"members": member_kept, "incomes": income_kept, "assets": asset_kept}
    if tekun:  # the form row of each tekun person sent, for a refusal naming ``tekun_persons.<j>``
        kept["tekun"] = [row for row in member_kept if values.get(f"tekun.{row}.is")]
    return body, kept, problems


def household_errors(api_fields: Mapping[str, str], kept: Mapping[str, list[int]]) -> dict[str, str]:
    from jiuzhu_console.domain.application_form import readable

    out = {}
    for api_field, rule in api_fields.items():
        field = tekun_form_field(api_field, kept.get("tekun", [])) or to_form_field(api_field, kept)
        field = field.replace(".monthly_fen", ".monthly_yuan").replace(".value_fen", ".value_yuan")
        out[field] = readable(field, rule)
    return out
