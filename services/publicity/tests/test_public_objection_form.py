"""The public objection form is the citizen's (issue 6): every problem is named in Chinese on the
form itself, with the field; never an English JSON error, never a 500."""

import datetime as dt
import re
from html import unescape

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


# --- every message a citizen sees is Chinese (issue "Out of the box", part 3) --------------------

ALLOWED = re.compile(r"（(notice_no|summary|contact)）|GS-[\w-]*|\d{4}-\d{2}-\d{2}")


def visible_text(html: str) -> str:
    """What the browser shows as text, without what the citizen typed (echoed in the form)."""
    html = re.sub(r"<(style|textarea)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def assert_chinese(page: str, *words: str) -> None:
    text = visible_text(page)
    for w in words:
        assert w in text, (w, text)
    english = re.findall(r"[A-Za-z]{2,}", ALLOWED.sub("", text))
    assert english == [], f"English on a citizen's page: {english} in {text!r}"


async def test_a_notice_outside_its_window_is_refused_in_chinese_naming_the_window(svc):
    svc.kit.clock.set(svc.kit.clock.now() + dt.timedelta(days=30))
    r = await svc.client.post("/public/objections", data={"notice_no": NOTICE, "summary": "公示期已过的异议"})
    assert r.status_code == 409 and r.headers["content-type"].startswith("text/html")
    assert_chinese(r.text, "不在公示期内", "2022-03-01", "2022-03-10")
    assert await svc.published("objection_raised") == []


async def test_unknown_notice_pages_and_too_many_objections_are_answered_in_chinese(svc):
    unknown = await svc.client.post("/public/objections", data={"notice_no": "GS-nope", "summary": "不存在的公示"})
    assert unknown.status_code == 404
    assert_chinese(unknown.text, "没有编号为“GS-nope”的公示")
    for path in ("/public/nothing-here", "/public/objections", "/public/boards/不存在的居委会"):
        page = await svc.client.get(path)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html"), path
        assert_chinese(page.text, "未找到")
    assert (await svc.client.get("/public/")).headers["location"] == "/public"
    # Six posts a minute from one address; the seventh is told to wait, in Chinese, on a page.
    for _ in range(5):
        await svc.client.post("/public/objections", data={"notice_no": NOTICE, "summary": "短"})
    limited = await svc.client.post("/public/objections", data={"notice_no": NOTICE, "summary": "该户有稳定收入"})
    assert limited.status_code == 429 and limited.headers["content-type"].startswith("text/html")
    assert int(limited.headers["retry-after"]) > 0
    assert_chinese(limited.text, "提交过于频繁", "每分钟最多提交6次")


@pytest.mark.parametrize("form, words", [
    ({"notice_no": NOTICE, "summary": "长" * 2001}, "异议内容（summary）须为5至1000字"),
    ({"notice_no": "", "summary": ""}, "请填写公示编号（notice_no）"),
    ({"notice_no": NOTICE, "summary": "该户有\x00稳定收入"}, "异议内容（summary）含有无法保存的字符"),
])
async def test_the_whole_form_page_with_its_problems_is_chinese(svc, form, words):
    r = await svc.client.post("/public/objections", data=form)
    assert r.status_code == 422
    assert_chinese(r.text, words)
