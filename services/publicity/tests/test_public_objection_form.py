"""The public objection form is the citizen's (issue 6): every problem is named in Chinese on the
form itself, with the field; never an English JSON error, never a 500."""

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import ReviewSigned
from jiuzhu_devstack.testing import eventually

from jiuzhu_publicity.bootstrap import build
from jiuzhu_publicity.domain.objection_form import form_problems

J, NOTICE = "650205001", "GS-650205001-2022-00001-1"


def test_every_problem_is_named_with_its_field_in_chinese():
    problems = form_problems("", "短", "x" * 101)
    assert problems == ["请填写公示编号（notice_no）。", "异议内容（summary）须为5至1000字。",
                        "联系方式（contact）不超过100个字符。"]
    assert form_problems(NOTICE, "内容\x00含有空字符", "") == ["异议内容（summary）含有无法保存的字符，请删除后重新提交。"]
    assert form_problems(NOTICE, "该户有稳定收入。", "") == []


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "publicity", J) as running:
        review = next(e for e in EXAMPLES if isinstance(e, ReviewSigned))
        await running.publish(Envelope.wrap(review, district="650205", jurisdiction=J,
                                            actor=Actor(id="rev-1", role="reviewer", name="赵审核"),
                                            occurred_at=running.kit.clock.now(), case_id="650205001-2022-00001"))
        await eventually(lambda: running.published("publicity_opened"))
        yield running


@pytest.mark.parametrize("form, words", [
    ({"notice_no": NOTICE, "summary": "长" * 2001}, "异议内容（summary）须为5至1000字"),
    ({"notice_no": "N" * 61, "summary": "该户有稳定收入"}, "公示编号（notice_no）不超过60个字符"),
    ({"notice_no": NOTICE, "summary": "该户有稳定收入", "contact": "1" * 101}, "联系方式（contact）不超过100个字符"),
    ({"notice_no": NOTICE, "summary": "该户有\x00稳定收入"}, "异议内容（summary）含有无法保存的字符"),
])
async def test_bad_public_objections_get_the_form_back_in_chinese(svc, form, words):
    r = await svc.client.post("/public/objections", data=form)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html") and words in r.text
    assert await svc.published("objection_raised") == []


async def test_unknown_notice_is_said_in_chinese_and_odd_checkbox_values_are_not_errors(svc):
    unknown = await svc.client.post("/public/objections", data={"notice_no": "GS-nope", "summary": "不存在的公示"})
    assert unknown.status_code == 404 and "没有编号为“GS-nope”的公示" in unknown.text
    filed = await svc.client.post("/public/objections", data={"notice_no": NOTICE, "summary": "该户有稳定收入",
                                                             "contact": "13900000000", "anonymous": "maybe"})
    assert filed.status_code == 201, filed.text
    [raised] = await svc.published("objection_raised")
    assert raised.payload.anonymous is False
    long_link = await svc.client.get("/public/objections/new", params={"notice_no": "N" * 500})
    assert long_link.status_code == 200
