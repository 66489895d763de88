"""The console's pages for 定期核查, household changes and moves (issue 15), against services the
test plays: what each form sends, how the answer and a refusal are shown, who is refused before
any call. The services' own rules are their tests'; the real answers are tests/e2e's."""

import datetime as dt
import json

import httpx

from jiuzhu_console.domain.household_change_form import change_body, form_field
from jiuzhu_console.domain.re_review_form import proposal_body
from jiuzhu_contracts.examples import APPLICANT_ID, CHILD_ID

try:
    from .console_harness import console_app, csrf_of, signed_in
except ImportError:  # run as a top-level module
    from console_harness import console_app, csrf_of, signed_in

J, J2, CASE = "650205001", "650205100", "650205001-CL-0123456789"
TRANSFER = f"ZY-{CASE}-01"
RE_REVIEW = {"case_id": CASE, "category": "dibao", "area": "urban", "committee": "柳树街社区居民委员会",
             "public_name": "张三", "supported_since": "2025-06-14", "profile": "changing", "next_on": None,
             "status": "open", "done": [],
             "current": {"round": 1, "cause": "periodic", "opened_on": "2026-11-27", "due_on": "2026-11-30",
                         "reasons": [], "visit": None, "household": None, "check_report": None}}
OUTCOME = {"case_id": CASE, "round": 1, "status": "pending", "outcome": "change", "completed_on": "2026-11-27",
           "proposal": {"cause": "periodic", "computed_eligible": True, "computed_amount_fen": 60000,
                        "proposed_amount_fen": 60000, "household_size": 2, "household_monthly_income_fen": 120000,
                        "reasons": ["收入增加"], "override_reason": None, "investigators": [{"name": "王调查"}],
                        "reviewer": {"name": "赵审核"}}}
DETAIL = {"case_id": CASE, "status": "supported", "committee": "柳树街社区居民委员会", "address": "柳树街1号",
          "public_name": "张三", "household_size": 2, "member_id_numbers": [APPLICANT_ID, CHILD_ID],
          "payment_account": "6222000000000001", "first_month_paid": "2026-07", "last_month_paid": None,
          "amount_fen": 130000, "moved_from": None, "moved_to": None, "transfer": None}
INCOMING = {"transfer_id": TRANSFER, "status": "requested", "from_jurisdiction": J, "from_case_id": CASE,
            "category": "dibao", "area": "urban", "address": "哈克村8号", "public_name": "张三", "household_size": 2,
            "amount_fen": 130000, "from_month": "2026-12", "requested_on": "2026-11-27", "reasons": ["迁居"],
            "requested_by": "孙主任", "new_case_id": None, "committee": None, "first_month_paid": None,
            "decided_on": None, "refusal_reasons": []}


class Services:
    def __init__(self):
        self.sent: list[tuple[str, str, dict]] = []
        self.refuse: dict[str, httpx.Response] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, host = request.url.path, request.url.host
        body = json.loads(request.content) if request.content else {}
        if request.method == "POST":
            self.sent.append((host, path, body))
            if path in self.refuse:
                return self.refuse[path]
        if host.startswith("verification"):
            if path == "/tasks":
                return httpx.Response(200, json=[])
            if path == "/re-reviews":
                return httpx.Response(200, json=[{"case_id": CASE, "status": "open", "round": 1, "cause": "periodic",
                                                  "due_on": "2026-11-30", "working_days_left": 1,
                                                  "public_name": "张三", "committee": "柳树街社区居民委员会",
                                                  "category": "dibao", "profile": "changing"}] if host.endswith(J) else [])
            if path == f"/re-reviews/{CASE}":
                return httpx.Response(200, json=RE_REVIEW)
            if path.endswith("/review"):
                return httpx.Response(200, json={"case_id": CASE, "round": 1, "outcome": body["outcome"],
                                                 "next_on": "2027-05-27"})
            if path.startswith(f"/re-reviews/{CASE}/"):
                return httpx.Response(200, json={"case_id": CASE})
        if host.startswith("decision"):
            if path == "/re-review-outcomes":
                return httpx.Response(200, json=[OUTCOME])
            if path.endswith("/continue"):
                return httpx.Response(200, json={"case_id": CASE, "round": 1, "status": "continued",
                                                 "amount_fen": 130000})
            if path == f"/supported-households/{CASE}":
                return httpx.Response(200, json={**DETAIL, "amounts": [], "notices": []})
            if path == f"/supported-households/{CASE}/household":
                return httpx.Response(200, json=DETAIL)
            if path == f"/supported-households/{CASE}/transfer":
                return httpx.Response(200, json={"case_id": CASE, "transfer_id": TRANSFER, "to_jurisdiction": J2,
                                                 "address": body.get("address"), "from_month": "2026-12",
                                                 "requested_on": "2026-11-28"})
            if path == "/transfers":
                return httpx.Response(200, json=[INCOMING] if host.endswith(J2) else [])
            if path == f"/transfers/{TRANSFER}":
                return httpx.Response(200, json=INCOMING) if host.endswith(J2) else \
                    httpx.Response(404, json={"detail": "没有该迁入申请 / no such transfer"})
            if path.endswith("/acceptance"):
                return httpx.Response(200, json={"transfer_id": TRANSFER, "status": "accepted", **DETAIL,
                                                 "case_id": f"{J2}-CL-0123456789", "first_month_paid": "2026-12"})
        return httpx.Response(404, json={"detail": f"not played: {request.method} {host}{path}"})


async def post(client, page_path: str, action: str, data: dict):
    page = await client.get(page_path)
    return await client.post(action, data={"csrftoken": csrf_of(page.text), **data})


def test_the_household_change_form_checks_every_resident_id_before_sending():
    wrong = CHILD_ID[:17] + ("0" if CHILD_ID[17] != "0" else "1")
    body, problems = change_body({"added_name": "新生儿", "added_id_number": wrong, "added_cause": "birth",
                                  "added_since": "2026-11-01"}, dt.date(2026, 11, 28))
    assert "校验码" in problems["added_id_number"] and "members_added" not in body
    body, problems = change_body({"removed_id_number": CHILD_ID, "removed_name": "张小三", "removed_cause": "death",
                                  "removed_since": "2026-11-20", "reasons": "死亡医学证明\n"})
    assert not problems
    assert body == {"members_removed": [{"id_number": CHILD_ID, "name": "张小三", "cause": "death",
                                         "since": "2026-11-20"}], "reasons": ["死亡医学证明"]}
    assert change_body({})[1] == {"_": "请填写至少一项变更：新增成员、减少成员、收款账号或住址"}
    assert form_field("members_removed.0.since") == "removed_since" and form_field("payment_account") == "payment_account"


def test_the_proposal_form():
    assert proposal_body({"outcome": "change", "proposed_amount_yuan": "600"})[0]["proposed_amount_fen"] == 60000
    assert proposal_body({"outcome": "stop", "proposed_amount_yuan": "600"})[0]["proposed_amount_fen"] == 0
    assert "outcome" in proposal_body({})[1]
    assert "proposed_amount_yuan" in proposal_body({"outcome": "continue", "proposed_amount_yuan": ""})[1]


async def test_re_reviews_in_the_investigators_worklist_and_the_reviewers_proposal(tmp_path):
    services = Services()
    app = console_app(tmp_path, services)
    inv = await signed_in(app, "lsj-inv-a")
    page = await inv.get("/investigator")
    assert page.status_code == 200 and f'href="/investigator/re-reviews/{CASE}"' in page.text
    assert "待入户调查" in page.text and "due-soon" in page.text  # one working day left: yellow, as every worklist
    form = await inv.get(f"/investigator/re-reviews/{CASE}")
    assert "保存入户调查记录" in form.text and "成员1 身份证号码" in form.text
    done = await post(inv, f"/investigator/re-reviews/{CASE}", f"/investigator/re-reviews/{CASE}/home-visit",
                      {"visited_on": "2026-11-28", "partner": "lsj-inv-b", "living_conditions": "自有住房",
                       "findings": "已就业", "household_signed": "on"})
    assert done.status_code == 303
    assert services.sent[-1][1:] == (f"/re-reviews/{CASE}/home-visit", {
        "visited_on": "2026-11-28", "partner": {"id": "lsj-inv-b", "name": "李调查"}, "living_conditions": "自有住房",
        "findings": "已就业", "household_signed": True})
    assert (await inv.get(f"/reviewer/re-reviews/{CASE}")).status_code == 403

    clerk = await signed_in(app, "lsj-clerk-1")
    for path in (f"/investigator/re-reviews/{CASE}", "/leader/re-reviews"):
        assert (await clerk.get(path)).status_code == 403
    assert len(services.sent) == 1


async def test_the_leaders_queue_continues_or_links_to_the_change(tmp_path):
    services = Services()
    leader = await signed_in(console_app(tmp_path, services), "lsj-lead-1")
    page = await leader.get("/leader/re-reviews")
    assert page.status_code == 200 and "建议变更保障金额" in page.text
    assert f"/support/households/{CASE}?amount=60000#change" in page.text
    changing = await leader.get(f"/support/households/{CASE}?amount=60000")
    assert 'value="600.00"' in changing.text
    services.refuse[f"/re-review-outcomes/{CASE}/continue"] = httpx.Response(422, json={
        "detail": "核查建议为change，继续保障须说明理由 / …", "rule": "D21 art. 32", "field": "reasons"})
    refused = await post(leader, "/leader/re-reviews", f"/leader/re-reviews/{CASE}/continue", {"reasons": ""})
    assert refused.status_code == 422 and "继续保障须说明理由" in refused.text
    del services.refuse[f"/re-review-outcomes/{CASE}/continue"]
    done = await post(leader, "/leader/re-reviews", f"/leader/re-reviews/{CASE}/continue",
                      {"reasons": "收入变化属临时性"})
    assert done.status_code == 303 and services.sent[-1][2] == {"reasons": ["收入变化属临时性"]}


async def test_household_change_transfer_and_acceptance(tmp_path):
    services = Services()
    app = console_app(tmp_path, services)
    clerk = await signed_in(app, "lsj-clerk-1")
    page = await clerk.get(f"/support/households/{CASE}/household")
    assert page.status_code == 200 and "登记户内变更" in page.text and "发出迁移申请" not in page.text
    done = await post(clerk, f"/support/households/{CASE}/household", f"/support/households/{CASE}/household",
                      {"payment_account": "6222000000000002", "reasons": "更换社会保障卡"})
    assert done.status_code == 303
    assert services.sent[-1][1:] == (f"/supported-households/{CASE}/household",
                                     {"payment_account": "6222000000000002", "reasons": ["更换社会保障卡"]})
    assert (await clerk.post(f"/support/households/{CASE}/transfer", data={"csrftoken": csrf_of(page.text)})
            ).status_code == 403

    leader = await signed_in(app, "lsj-lead-1")
    moved = await post(leader, f"/support/households/{CASE}/household", f"/support/households/{CASE}/transfer",
                       {"to_jurisdiction": J2, "to_address": "哈克村8号", "transfer_reasons": "迁居"})
    assert moved.status_code == 303
    assert services.sent[-1][2] == {"to_jurisdiction": J2, "address": "哈克村8号", "reasons": ["迁居"]}
    assert (await leader.get(f"/transfers/{TRANSFER}")).status_code == 404  # not addressed to 柳树街

    town = await signed_in(app, "wet-lead-1")
    listed = await town.get("/transfers")
    assert TRANSFER in listed.text and "柳树街" in listed.text
    accepted = await post(town, f"/transfers/{TRANSFER}", f"/transfers/{TRANSFER}/acceptance",
                          {"jurisdiction": J2, "committee": "哈克村村民委员会"})
    assert accepted.status_code == 303 and services.sent[-1][0] == f"decision-{J2}"
    assert services.sent[-1][2] == {"committee": "哈克村村民委员会"}
    town_clerk = await signed_in(app, "wet-clerk-1")
    seen = await town_clerk.get(f"/transfers/{TRANSFER}")
    assert seen.status_code == 200 and "同意迁入" not in seen.text
    inv = await signed_in(app, "wet-inv-a")
    assert (await inv.get("/transfers")).status_code == 403
