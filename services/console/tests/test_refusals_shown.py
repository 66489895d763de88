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


def test_the_errors_own_rule_wins_over_the_general_words_beside_its_field():
    message, fields = explain({"detail": "输入超出合理范围", "field": "visited_on",
                               "errors": [{"field": "visited_on", "rule": "入户日期不得晚于业务日期后1天", "type": "x"}]})
    assert fields == {"visited_on": "入户日期不得晚于业务日期后1天"} and message == "输入超出合理范围"


def test_times_are_shown_in_the_districts_own_zone():
    from jiuzhu_console.entrypoints.web import zh_datetime

    assert zh_datetime("2026-11-28T18:06:00+00:00") == "2026年11月29日 02:06"
    assert zh_datetime("2026-11-28T18:06:00Z") == "2026年11月29日 02:06"


def test_staff_read_the_chinese_half_of_a_bilingual_message():
    message, _ = explain({"detail": "请求中有不符合要求的项目 / the request has invalid fields", "errors": []})
    assert message == "请求中有不符合要求的项目"
    assert explain({"detail": "a refusal states its reasons / 见理由"})[0] == "a refusal states its reasons / 见理由"


def test_an_id_cannot_steer_a_call_to_another_endpoint():
    from jiuzhu_console.adapters.services_api import safe_path

    assert safe_path("/cases/650205001-2026-00001/refusal-notice") and safe_path("/rosters/R-650205-2026-04-v1")
    for forged in ("/notices/../public/objections", "/notices/?/objections", "/cases/1#x", "/cases/1%3F",
                   "/cases/\x00", "/cases/1\n", "//evil/x", "/cases/一", "/cases?x=1"):
        assert not safe_path(forged), forged


async def test_a_redirect_or_a_forged_path_is_refused_not_taken_for_success():
    import httpx

    from jiuzhu_console.adapters.services_api import ApiRefused, ServicesApi

    sent: list[str] = []

    def answer(request):
        sent.append(request.url.path)
        return httpx.Response(307, headers={"location": "/notices"})

    api = ServicesApi({"publicity/650205001": "http://publicity"}, transport=httpx.MockTransport(answer))
    for path in ("/notices/x/objections", "/notices/../public/objections"):
        try:
            await api.post("publicity", "650205001", path, "t", {})
        except ApiRefused as refused:
            assert refused.status == 400 and refused.message == "编号格式不正确"
        else:
            raise AssertionError(f"{path} was taken for success")
    assert sent == ["/notices/x/objections"]  # the forged one was never sent
    await api.aclose()
