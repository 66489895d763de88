"""The application form of the window (plan 五(一): 申请人向户籍所在地街道（乡镇）提出申请):
what the clerk typed → the body of intake's ``POST /applications``, and the service's refusals
→ the form's own fields. The service decides completeness (one-time notice) and every rule."""

from __future__ import annotations

import re
from collections.abc import Mapping

from jiuzhu_console.domain.household_rows import member_rows, to_form_field
from jiuzhu_console.domain.yuan_input import NotAnAmount, yuan_to_fen

MONEY_INPUTS = {"declared_monthly_income_fen": "declared_monthly_income_yuan",
                "declared_assets_fen": "declared_assets_yuan"}
MONEY_BLANK = "请填写金额（没有请填 0）"

# Chinese words for the schema's own checks (FastAPI answers those in English).
FIELD_RULES_ZH = {
    "payment_account": "收款银行账号须为12至30位数字",
    "contact_phone": "联系电话须为11位手机号，或区号加固定电话号码（如 0990-6912345）",
    "address": "请填写居住地址（2至200字）",
    "reason": "请填写申请理由（2至1000字）",
    "committee": "请选择所在居（村）民委员会",
    "category": "请选择救助类别",
    "area": "请选择城市或农村",
    "name": "请填写姓名",
    "relation": "请选择与申请人关系",
    "members": "请至少填写一名家庭成员，且只有一人为“本人”（申请人）、身份证号码互不相同",
    "consent_signed": "须签订家庭经济状况核对授权书",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def application_body(values: Mapping) -> tuple[dict, list[int], dict[str, str]]:
    """The request body, the form rows of its members, and problems the console can see itself
    (an amount that is not an amount cannot be sent at all)."""
    problems: dict[str, str] = {}
    amounts: dict[str, int] = {}
    for api_name, input_name in MONEY_INPUTS.items():
        try:
            fen = yuan_to_fen(values.get(input_name))
        except NotAnAmount as exc:
            problems[input_name] = str(exc)
            continue
        if fen is None:
            problems[input_name] = MONEY_BLANK
        else:
            amounts[api_name] = fen
    members, kept = member_rows(values)
    body = {
        "category": values.get("category", ""),
        "area": values.get("area", ""),
        "registration_jurisdiction": values.get("registration_jurisdiction", ""),
        "emergency_jurisdiction": values.get("emergency_jurisdiction") or None,
        "address": str(values.get("address", "")).strip(),
        "committee": values.get("committee", ""),
        "members": members,
        **amounts,
        "payment_account": str(values.get("payment_account", "")).replace(" ", ""),
        "contact_phone": str(values.get("contact_phone", "")).strip(),
        "reason": str(values.get("reason", "")).strip(),
        "consent_signed": bool(values.get("consent_signed")),
        "materials": [{"code": code} for code in materials_of(values)],
    }
    return body, kept, problems


def materials_of(values: Mapping) -> list[str]:
    chosen = values.get("materials") or []
    return [chosen] if isinstance(chosen, str) else list(chosen)


def form_errors(api_fields: Mapping[str, str], kept_members: list[int]) -> dict[str, str]:
    """The service's refusals keyed by the form's input names, in Chinese where the service spoke
    only English (its schema's own checks)."""
    out: dict[str, str] = {}
    for api_field, rule in api_fields.items():
        field = MONEY_INPUTS.get(api_field, api_field)
        field = to_form_field(field, {"members": kept_members})
        if field.startswith("materials"):
            field = "materials"
        out[field] = readable(field, rule)
    return out


def readable(field: str, rule: str) -> str:
    rule = rule.removeprefix("Value error, ").strip()
    if _CJK.search(rule):
        return rule.split(" / ", 1)[0].strip()
    return FIELD_RULES_ZH.get(field.rsplit(".", 1)[-1], rule)


def material_note(rule) -> str:
    """When the district's material rule applies (config ``[[materials]]``), in words."""
    from jiuzhu_console.domain.labels import category

    notes = []
    if rule.categories:
        notes.append("、".join(category(c) for c in rule.categories))
    if rule.when_member:
        notes.append({"disabled": "有残疾成员", "in_school": "有在校学生", "seriously_ill": "有重病成员",
                      "unable_to_work": "有无劳动能力成员"}.get(rule.when_member, rule.when_member))
    if rule.when_relation:
        from jiuzhu_console.domain.labels import RELATION

        notes.append(f"有{RELATION.get(rule.when_relation, rule.when_relation)}")
    return "仅当：" + "；".join(notes) if notes else "所有申请"
