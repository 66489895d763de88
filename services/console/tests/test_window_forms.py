"""The window's form rules: 元 → fen without floats, member rows (blank ones ignored), and the
service's refusals shown beside the form's own fields."""

from __future__ import annotations

import datetime as dt

import pytest

from jiuzhu_contracts.examples import synthetic_id

from jiuzhu_console.domain.application_form import (
    application_body,
    chinese_message,
    form_errors,
    missing_reason,
    readable,
)
from jiuzhu_console.domain.household_rows import member_rows, to_form_field
from jiuzhu_console.domain.resident_id_check import check_resident_id
from jiuzhu_console.domain.yuan_input import NotAnAmount, fen_to_yuan_text, yuan_to_fen

APPLICANT = synthetic_id("659901", "19750304", "201")
CHILD = synthetic_id("659901", "20100506", "202")


@pytest.mark.parametrize("typed, fen", [("1300", 130000), ("1300.5", 130050), ("0.1", 10), ("0.29", 29),
                                        ("1,234.56", 123456), (" 12 元", 1200), ("0", 0)])
def test_yuan_typed_becomes_exact_fen(typed, fen):
    assert yuan_to_fen(typed) == fen


@pytest.mark.parametrize("typed", ["abc", "-1", "1.234", "NaN", "Infinity", "1e400x"])
def test_what_is_not_an_amount_is_refused_with_the_rule(typed):
    with pytest.raises(NotAnAmount, match="元"):
        yuan_to_fen(typed)


def test_blank_amount_gives_the_callers_default():
    assert yuan_to_fen("  ") is None
    assert yuan_to_fen("", blank=0) == 0


def test_fen_shown_back_in_yuan_with_two_decimals():
    assert fen_to_yuan_text(150000) == "1500.00"
    assert fen_to_yuan_text(5) == "0.05"
    assert fen_to_yuan_text(None) == ""
    assert yuan_to_fen(fen_to_yuan_text(123457)) == 123457


def test_blank_member_rows_are_ignored_and_rows_remembered():
    values = {"members.0.name": "韩试验", "members.0.id_number": APPLICANT, "members.0.relation": "self",
              "members.1.relation": "child",  # a relation alone is not a member
              "members.3.name": "韩小试", "members.3.id_number": CHILD, "members.3.relation": "child",
              "members.3.in_school": "on", "members.3.able_to_work": "no"}
    members, rows = member_rows(values)
    assert rows == [0, 3]
    assert [m["name"] for m in members] == ["韩试验", "韩小试"]
    assert members[1]["in_school"] is True and members[1]["disabled"] is False
    assert members[1]["able_to_work"] is False and members[0]["able_to_work"] is None


def test_api_member_index_maps_back_to_the_form_row():
    assert to_form_field("members.1.id_number", {"members": [0, 3]}) == "members.3.id_number"
    assert to_form_field("members", {"members": [0, 3]}) == "members"
    assert to_form_field("address", {"members": [0, 3]}) == "address"


def application_values(**extra):
    return {"category": "dibao", "area": "urban", "registration_jurisdiction": "650205001",
            "committee": "柳树街社区居民委员会", "address": "柳树街8号",
            "members.0.name": "韩试验", "members.0.id_number": APPLICANT, "members.0.relation": "self",
            "declared_monthly_income_yuan": "300.50", "declared_assets_yuan": "0",
            "payment_account": "6222 0200 0000 0009", "contact_phone": "13912345678", "reason": "失业",
            "consent_signed": "on", "materials": ["application_form", "id_cards"], **extra}


def test_application_body_is_what_intake_takes():
    body, rows, problems = application_body(application_values())
    assert problems == {}
    assert rows == [0]
    assert body["declared_monthly_income_fen"] == 30050 and body["declared_assets_fen"] == 0
    assert body["payment_account"] == "6222020000000009"
    assert body["emergency_jurisdiction"] is None
    assert body["consent_signed"] is True
    assert body["materials"] == [{"code": "application_form"}, {"code": "id_cards"}]


def test_unsigned_consent_and_no_materials_are_sent_as_such_for_the_service_to_judge():
    values = application_values(materials=[])
    del values["consent_signed"]
    body, _, problems = application_body(values)
    assert problems == {} and body["consent_signed"] is False and body["materials"] == []


def test_amounts_the_console_cannot_send_are_problems_beside_their_inputs():
    _, _, problems = application_body(application_values(declared_monthly_income_yuan="三百",
                                                         declared_assets_yuan=""))
    assert set(problems) == {"declared_monthly_income_yuan", "declared_assets_yuan"}


def test_refusals_are_keyed_by_the_forms_inputs_and_read_in_chinese():
    errors = form_errors({"members.1.id_number": "Value error, 身份证号码校验码不符 / check character does not match",
                          "declared_monthly_income_fen": "Input should be greater than or equal to 0",
                          "contact_phone": "String should match pattern '^1[3-9]'",
                          "materials.0.code": "unknown material"}, kept_members=[0, 2])
    assert errors["members.2.id_number"] == "身份证号码校验码不符"
    assert "declared_monthly_income_yuan" in errors
    assert errors["contact_phone"].startswith("联系电话")
    assert "materials" in errors


def test_an_english_rule_without_a_chinese_version_is_kept():
    assert readable("something_new", "must be odd") == "must be odd"


def test_messages_get_a_chinese_lead_in_when_the_service_wrote_english():
    assert chinese_message("申请表有不符合要求的项目 / the application has invalid fields").startswith("申请表")
    assert chinese_message("the opinion differs").startswith("请按标红项目")


def test_missing_item_reasons_in_chinese():
    assert missing_reason("missing") == "未提交"
    assert missing_reason("non_conforming: 复印件不清晰") == "不符合要求：复印件不清晰"


def test_live_resident_id_check_uses_gb_11643_and_answers_in_chinese():
    assert check_resident_id(APPLICANT).ok
    assert check_resident_id("６５９９０１１９７５０３０４２０１５").ok  # full-width digits from an IME
    wrong_check = APPLICANT[:17] + ("0" if APPLICANT[17] != "0" else "1")
    result = check_resident_id(wrong_check)
    assert not result.ok and result.rule == "身份证号码校验码不符"
    assert "18位" in check_resident_id("12345").rule
    assert "晚于今天" in check_resident_id(synthetic_id("659901", "20270101", "001"),
                                           today=dt.date(2026, 11, 29)).rule
    assert not check_resident_id("").ok


def test_short_chinese_schema_words_get_the_fields_own_rule():
    assert readable("contact_phone", "格式不正确").startswith("格式不正确：联系电话须为11位手机号")
    assert readable("members.0.id_number", "身份证号码校验码不符 / check") == "身份证号码校验码不符"


def test_an_absurd_amount_is_refused_with_the_rule_not_an_error():
    import pytest

    from jiuzhu_console.domain.yuan_input import NotAnAmount, yuan_to_fen

    for absurd in ("1e30", "9" * 40, "NaN", "-1", "1.001"):
        with pytest.raises(NotAnAmount):
            yuan_to_fen(absurd)
    assert yuan_to_fen("1,300.50") == 130050
