"""Applications waiting for a resubmission (一次性告知, plan 五(一)): their order on the clerk's
worklist, the resubmission form prefilled from what was submitted, and the pages against a fake
intake (``GET /applications?status=awaiting_correction``, ``GET /applications/{id}``)."""

import datetime as dt
import json
import re

import httpx

from jiuzhu_contracts.examples import synthetic_id

from jiuzhu_console.domain.application_form import application_body, missing_reason
from jiuzhu_console.domain.awaiting_correction import days_waiting, form_rows, not_conforming, prefill, waiting_order
from jiuzhu_console.domain.household_rows import rows_posted
from jiuzhu_console.domain.urgency import deadline

try:
    from .console_harness import console_app, csrf_of, signed_in
except ImportError:
    from console_harness import console_app, csrf_of, signed_in

TODAY = dt.date(2026, 11, 28)  # the harness's business day
J = "650205001"
RULE = "方案五（一）及本区规定均未设补正期限 / neither plan 五(一) nor the district's rules set a time limit"


class EveryDayWorks:
    def between(self, start: dt.date, end: dt.date) -> int:
        return (end - start).days


def member(i: int, relation: str = "child", **flags) -> dict:
    return {"name": f"成员{i}", "id_number": synthetic_id(born="20000101", seq=f"{300 + i}"), "relation": relation,
            "disabled": False, "in_school": False, "seriously_ill": False, "able_to_work": None} | flags


# A household of seven (more than the form's usual six rows), as intake's GET /applications/{id} gives it.
CONTENT = {
    "category": "dibao", "area": "rural", "registration_jurisdiction": J, "emergency_jurisdiction": None,
    "address": "柳树街3号", "committee": "柳树街社区居民委员会",
    "members": [member(0, "self", disabled=True, able_to_work=False)]
               + [member(i, in_school=(i == 1)) for i in range(1, 7)],
    "declared_monthly_income_fen": 123450, "declared_assets_fen": 5, "payment_account": "6222020000000003",
    "contact_phone": "0990-6912345", "reason": "因病致贫", "consent_signed": False,
    "materials": [{"code": "application_form", "conforming": True, "problem": None},
                  {"code": "id_cards", "conforming": False, "problem": "复印件不清晰"}],
}


def notice(no: str, issued_on: str, due_on: str | None = None) -> dict:
    return {"notice_no": no, "issued_on": issued_on, "due_on": due_on, "due_rule": RULE,
            "items": [{"code": "id_cards", "label": "共同生活家庭成员居民身份证", "reason": "non_conforming: 复印件不清晰"},
                      {"code": "consent", "label": "家庭经济状况核对授权书", "reason": "missing: not signed"}],
            "document_url": "/applications/x/correction-notice"}


def waiting(application_id: str, name: str, issued_on: str, due_on: str | None = None, n: int = 1) -> dict:
    return {"application_id": application_id, "applicant_name": name, "category": "dibao",
            "committee": "柳树街社区居民委员会", "household_size": 7, "submissions": 1,
            "last_submitted_at": f"{issued_on}T09:00:00+08:00", "notice": notice(f"BZ-{J}-2026-{n:05d}", issued_on, due_on)}


# --- pure parts ---------------------------------------------------------------------------------

def test_the_prefilled_form_sends_back_what_was_submitted_with_only_conforming_materials_ticked():
    values = prefill(CONTENT)
    assert values["declared_monthly_income_yuan"] == "1234.50" and values["declared_assets_yuan"] == "0.05"
    assert values["members.0.able_to_work"] == "no" and values["members.0.disabled"] == "on"
    assert values["materials"] == ["application_form"]  # the unclear ID copies are what the notice asked for
    assert "consent_signed" not in values and values["emergency_jurisdiction"] == ""
    body, kept, problems = application_body(values)
    assert problems == {} and kept == list(range(7))
    assert body["members"] == CONTENT["members"], "all seven members, the seventh beyond the usual six rows"
    assert body["materials"] == [{"code": "application_form"}]
    same = {k: v for k, v in CONTENT.items() if k not in ("members", "materials")}
    assert {k: body[k] for k in same} == same


def test_the_form_shows_a_spare_row_after_a_large_household_and_reads_every_row():
    assert form_rows(prefill(CONTENT)) == 8
    assert form_rows({"members.0.relation": "self"}) == 6
    assert rows_posted({"members.7.name": "x", "members.2.name": "y"}) == 8
    assert rows_posted({"members.123456789.name": "x", "members.99.name": "y"}) == 30  # bounded by intake's limit


def test_the_last_problem_of_each_material_is_shown_beside_it():
    assert not_conforming(CONTENT) == {"id_cards": "复印件不清晰"}


def test_what_the_notice_says_of_an_item_is_shown_in_chinese():
    assert missing_reason("missing: not signed") == "未提交：未签字"
    assert missing_reason("missing: some future detail") == "未提交"
    assert missing_reason("non_conforming: does not meet the requirements") == "不符合要求"
    assert missing_reason("non_conforming: 过期") == "不符合要求：过期"


def test_most_overdue_first_when_a_notice_has_a_due_date_else_oldest_notice_first():
    cal = EveryDayWorks()
    listed = [waiting("APP-A", "甲", "2026-11-20"), waiting("APP-B", "乙", "2026-11-02"),
              waiting("APP-C", "丙", "2026-11-25", due_on="2026-11-27"),
              waiting("APP-D", "丁", "2026-11-26", due_on="2026-11-20"), waiting("APP-E", "戊", "2026-11-02")]
    rows = [(deadline(a["notice"]["due_on"], TODAY, cal), a) for a in listed]
    assert [a["application_id"] for _, a in waiting_order(rows)] == ["APP-D", "APP-C", "APP-B", "APP-E", "APP-A"]
    assert days_waiting("2026-11-02", TODAY) == 26 and days_waiting(None, TODAY) is None


# --- the pages against a fake intake ------------------------------------------------------------

class Intake:
    def __init__(self, listing=None, list_status=200):
        self.listing = listing if listing is not None else [
            waiting("APP-NEW", "新近", "2026-11-25"), waiting("APP-OLD", "最早", "2026-11-02")]
        self.list_status = list_status
        self.posts: list[tuple[str, dict]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST":
            self.posts.append((path, json.loads(request.content)))
            return httpx.Response(200, json={"status": "accepted", "application_id": "APP-OLD",
                                             "case_id": f"{J}-2026-00031", "document_url": "/x",
                                             "investigation_due": {"due_on": "2026-12-12"}})
        if path == "/applications":
            assert request.url.params["status"] == "awaiting_correction"
            if self.list_status != 200:
                return httpx.Response(self.list_status, json={"detail": "Not Found"})
            return httpx.Response(200, json=self.listing)
        if path == "/applications/APP-OLD":
            return httpx.Response(200, json={"application_id": "APP-OLD", "status": "awaiting_correction",
                                             "submissions": 2, "case_id": None,
                                             "notice": notice("BZ-650205001-2026-00009", "2026-11-02"),
                                             "content": CONTENT})
        if path == "/applications/APP-DONE":
            return httpx.Response(200, json={"application_id": "APP-DONE", "status": "accepted", "submissions": 2,
                                             "case_id": f"{J}-2026-00030", "notice": None, "content": CONTENT})
        if path.startswith("/applications/"):
            return httpx.Response(404, json={"detail": f"no application {path.rsplit('/', 1)[1]} at this window",
                                             "rule": "exists"})
        if path == "/cases":
            return httpx.Response(200, json=[])
        return httpx.Response(404, json={"detail": "not in this fake"})


def rows_of(html: str) -> list[str]:
    table = html.split('class="responsive waiting"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<code class=\"appid\">(APP-[A-Z]+)</code>", table)


async def test_the_worklist_lists_the_notices_oldest_first_with_their_links(tmp_path):
    client = await signed_in(console_app(tmp_path, Intake()), "lsj-clerk-1")
    page = await client.get("/clerk")
    assert page.status_code == 200, page.text
    assert "待补正的申请（2）" in page.text and "告知最早的在前" in page.text
    assert rows_of(page.text) == ["APP-OLD", "APP-NEW"]
    assert 'href="/documents/correction-notice/APP-OLD"' in page.text
    assert 'href="/clerk/applications/APP-OLD/resubmission"' in page.text
    assert "不符合要求：复印件不清晰" in page.text and "未设期限" in page.text and "已 26 天" in page.text
    assert "未提交：未签字" in page.text and "not signed" not in page.text


async def test_the_worklist_stands_when_intake_cannot_list_them(tmp_path):
    client = await signed_in(console_app(tmp_path, Intake(list_status=404)), "lsj-clerk-1")
    page = await client.get("/clerk")
    assert page.status_code == 200 and "待补正的申请暂时无法读取" in page.text and "在办案件" in page.text
    empty = await (await signed_in(console_app(tmp_path, Intake(listing=[])), "lsj-clerk-1")).get("/clerk")
    assert "没有等待补正的申请" in empty.text


async def test_the_resubmission_form_is_prefilled_and_sends_the_whole_household(tmp_path):
    intake = Intake()
    client = await signed_in(console_app(tmp_path, intake), "lsj-clerk-1")
    form = await client.get("/clerk/applications/APP-OLD/resubmission")
    assert form.status_code == 200, form.text
    html = form.text
    assert "BZ-650205001-2026-00009" in html and "已提交 2 次" in html and "未设期限" in html
    assert 'name="members.6.name" type="text" value="成员6"' in html and 'name="members.7.name"' in html
    assert re.search(r'id="material-application_form" name="materials" value="application_form"\s+checked', html)
    assert not re.search(r'id="material-id_cards" name="materials" value="id_cards"\s+checked', html)
    assert "上次不符合要求：复印件不清晰" in html
    assert 'id="declared_monthly_income_yuan" name="declared_monthly_income_yuan" type="text" value="1234.50"' in html

    # The clerk ticks what was brought; everything else goes back as it was.
    values = prefill(CONTENT) | {"consent_signed": "on", "csrftoken": csrf_of(html)}
    values["materials"] = ["application_form", "id_cards", "household_register", "income_proof"]
    done = await client.post("/clerk/applications/APP-OLD/resubmission", data=values)
    assert done.status_code == 303 and done.headers["location"] == f"/cases/{J}-2026-00031"
    [(path, body)] = intake.posts
    assert path == "/applications/APP-OLD/resubmissions"
    assert body["members"] == CONTENT["members"] and body["consent_signed"] is True
    assert [m["code"] for m in body["materials"]] == ["application_form", "id_cards", "household_register",
                                                      "income_proof"]


async def test_an_accepted_application_leads_to_its_case_and_an_unknown_one_is_404(tmp_path):
    client = await signed_in(console_app(tmp_path, Intake()), "lsj-clerk-1")
    done = await client.get("/clerk/applications/APP-DONE/resubmission")
    assert done.status_code == 303 and done.headers["location"] == f"/cases/{J}-2026-00030"
    missing = await client.get("/clerk/applications/APP-NOSUCH/resubmission")
    assert missing.status_code == 404 and "没有找到申请" in missing.text and "APP-NOSUCH" in missing.text
