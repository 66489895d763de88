"""The application form of the window (plan 五(一): 申请人向户籍所在地街道（乡镇）提出申请):
what the clerk typed → the body of intake's ``POST /applications``, and the service's refusals
→ the form's own fields. The service decides completeness (one-time notice) and every rule."""

from __future__ import annotations

import re
from collections.abc import Mapping

from jiuzhu_console.domain.household_rows import member_rows, rows_posted, to_form_field
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
    "id_number": "身份证号码须为18位并通过校验（GB 11643）",
    "relative_id_number": "身份证号码须为18位并通过校验（GB 11643）",
    "staff_id": "请填写工作人员编号", "staff_name": "请填写工作人员姓名", "relative_name": "请填写近亲属姓名",
    "override_reason": "审核意见与计算结果不同，须写明理由",
    "proposed_amount_yuan": "不符合条件的审核意见不填拟保障金额；金额须在本区规定的合理范围内",
    "eligible": "请选择审核意见",
    "visited_on": "入户日期不得早于受理日期，也不得晚于业务日期次日",
    "partner": "入户调查须由两名不同的调查人员进行，请选择同行调查人员（D21 第16条）",
    "re_partner": "重新调查须由两名不同的调查人员进行，请选择同行人员",
    "living_conditions": "请填写居住及生活状况（2至2000字）",
    "findings": "请填写调查结论（2至4000字）", "re_findings": "请填写重新调查结论（2至4000字）",
    "circumstances": "请填写不配合调查的情形（2至2000字）",
    "held_on": "请填写评议日期（不得晚于业务日期次日）", "participants": "请填写参加人员，每行一人",
    "result": "请选择评议结果", "minutes": "请填写评议记录（2至8000字）",
    "monthly_yuan": "金额超出合理范围", "value_yuan": "金额超出合理范围",
}
# What a one-time notice says of an item (intake's MissingItem.reason starts with one of these).
MISSING_REASON_ZH = {"missing": "未提交", "non_conforming": "不符合要求"}
MISSING_DETAIL_ZH = {"not signed": "未签字", "does not meet the requirements": ""}
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
    members, kept = member_rows(values, rows_posted(values))
    body = {
        "category": values.get("category", ""),
        "area": values.get("area", ""),
        "registration_jurisdiction": values.get("registration_jurisdiction", ""),
        "emergency_jurisdiction": values.get("emergency_jurisdiction") or None,
        "temporary_kind": values.get("temporary_kind") or None,
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
    ours = FIELD_RULES_ZH.get(field.rsplit(".", 1)[-1])
    if _CJK.search(rule):
        said = rule.split(" / ", 1)[0].strip()
        # A schema check's short words ("格式不正确") say what is wrong, not what is right.
        return f"{said}：{ours}" if ours and len(said) <= 8 else said
    return ours or rule


def chinese_message(message: str) -> str:
    """The service's words when they are Chinese; else a Chinese lead-in before them (a domain
    refusal may be written in English; its field rules are shown in Chinese beside the fields)."""
    if _CJK.search(message or ""):
        return message
    return f"请按标红项目的说明修改后重新提交（{message}）"


def missing_reason(reason: str) -> str:
    """``non_conforming: 复印件不清晰`` → ``不符合要求：复印件不清晰``; intake's own English details
    (``missing: not signed``) in Chinese, else left out as its printed notice leaves them out."""
    code, _, why = (reason or "").partition(":")
    words = MISSING_REASON_ZH.get(code.strip(), code.strip())
    why = MISSING_DETAIL_ZH.get(why.strip(), why.strip())
    if why and not _CJK.search(why) and code.strip() == "missing":
        why = ""
    return f"{words}：{why}" if why else words


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
