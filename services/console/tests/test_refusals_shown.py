"""A service's refusal, as the console shows it: its words, and each named field's rule."""

from jiuzhu_console.adapters.services_api import explain


def test_a_domain_refusal_names_its_field_and_rule():
    message, fields = explain({"detail": "该户已有在办案件 650205001-2022-00001", "rule": "SPEC §5.1",
                               "field": "members.0.id_number"})
    assert message == "该户已有在办案件 650205001-2022-00001（SPEC §5.1）"
    assert fields == {"members.0.id_number": "该户已有在办案件 650205001-2022-00001"}


def test_validation_errors_map_each_field_to_its_rule():
    message, fields = explain({"detail": "请求中有不符合要求的项目 / the request has invalid fields",
                               "errors": [{"field": "contact_phone", "rule": "须为11位手机号码", "type": "x"},
                                          {"field": "members.1.id_number", "rule": "校验位不符", "type": "y"}]})
    assert fields == {"contact_phone": "须为11位手机号码", "members.1.id_number": "校验位不符"}
    assert message.startswith("请求中有不符合要求的项目")


def test_a_plain_text_body_is_kept():
    assert explain("Bad Gateway") == ("Bad Gateway", {})
