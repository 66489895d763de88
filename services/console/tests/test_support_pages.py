"""The console's pages for households on support: the leader changes an amount, ends support,
starts a gradual exit and records a notice's delivery; the bureau previews and applies a standard
raise. The decision service is played by the test (its rules are its own tests'); here: what is
sent, and how its answer and its refusals are shown."""

import json

import httpx

try:
    from .console_harness import console_app, csrf_of, signed_in
except ImportError:  # run as a top-level module
    from console_harness import console_app, csrf_of, signed_in

J, CASE = "650205001", "650205001-2026-00042"
HOUSEHOLD = {"case_id": CASE, "category": "dibao", "area": "urban", "committee": "柳树街社区居民委员会",
             "public_name": "张三", "household_size": 2, "status": "supported", "approved_on": "2026-03-01",
             "first_month_paid": "2026-04", "amount_fen": 130000,
             "amounts": [{"month": "2026-04", "amount_fen": 130000}], "last_month_paid": None, "address": "",
             "notices": ["BG-650205001-2026-00042-01"], "migrated": None}
REPORT = {"year": 2027, "effective_month": "2027-01", "standards": [{"area": "urban", "dibao_fen": 95000,
                                                                     "tekun_fen": 123500}],
          "totals": [{"jurisdiction": J, "category": "dibao", "households": 1, "changing": 1, "needs_review": 0,
                      "before_fen": 130000, "after_fen": 140000, "difference_fen": 10000}],
          "households": [{"case_id": CASE, "public_name": "张三", "committee": "柳树街社区居民委员会",
                          "category": "dibao", "area": "urban", "household_size": 2, "monthly_income_fen": 50000,
                          "status": "supported", "before_fen": 130000, "computed_fen": 140000, "after_fen": 140000,
                          "outcome": "raised"}]}


class Decision:
    """The decision service of 650205001 as the test scripts it; records what it was sent."""

    def __init__(self):
        self.sent: list[tuple[str, str, dict]] = []
        self.refuse: dict[str, httpx.Response] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content) if request.content else {}
        if request.method == "POST":
            self.sent.append((request.url.host, path, body))
            if path in self.refuse:
                return self.refuse[path]
        if path == "/supported-households":
            return httpx.Response(200, json=[HOUSEHOLD])
        if path == f"/supported-households/{CASE}":
            return httpx.Response(200, json=HOUSEHOLD)
        if path.startswith("/supported-households/notices/") and request.method == "GET":
            return httpx.Response(200, text="<h1>社会救助保障金变更通知书</h1>")
        if path.endswith("/delivery"):
            return httpx.Response(200, json={"notice_no": path.split("/")[3], "on_time": True})
        if path.startswith("/supported-households/"):
            return httpx.Response(200, json={"notice_no": f"BG-{CASE}-02", "due_on": "2026-12-03"})
        if path == "/standard-raises/preview":
            return httpx.Response(200, json=REPORT)
        if path == "/standard-raises/apply":
            return httpx.Response(200, json={**REPORT, "changed": 1})
        return httpx.Response(404, json={"detail": "not played", "rule": "test"})


async def post_form(client, page_url, action, data):
    page = await client.get(page_url)
    return await client.post(action, data={**data, "csrftoken": csrf_of(page.text)})


async def test_the_leader_changes_ends_and_delivers_from_the_household_page(tmp_path):
    decision = Decision()
    client = await signed_in(console_app(tmp_path, decision), "lsj-lead-1")
    listed = await client.get("/support")
    assert listed.status_code == 200 and CASE in listed.text and "1,300.00" in listed.text
    page = await client.get(f"/support/households/{CASE}")
    assert page.status_code == 200 and "增发、减发" in page.text and "渐退期" in page.text and "停发" in page.text

    done = await post_form(client, f"/support/households/{CASE}", f"/support/households/{CASE}/changes",
                           {"amount_yuan": "600", "cause": "re_review", "change_reasons": "收入增加\n定期核查",
                            "effective_month": ""})
    assert done.status_code == 303
    assert decision.sent[-1] == (f"decision-{J}", f"/supported-households/{CASE}/changes",
                                 {"amount_fen": 60000, "cause": "re_review", "reasons": ["收入增加", "定期核查"]})
    shown = await client.get(f"/support/households/{CASE}")
    assert f"BG-{CASE}-02" in shown.text  # the flash names the notice and its due date

    await post_form(client, f"/support/households/{CASE}", f"/support/households/{CASE}/end",
                    {"end_cause": "death", "end_reasons": "户主死亡", "last_month_paid": ""})
    assert decision.sent[-1][1:] == (f"/supported-households/{CASE}/end", {"cause": "death", "reasons": ["户主死亡"]})
    await post_form(client, f"/support/households/{CASE}", f"/support/households/{CASE}/gradual-exit",
                    {"exit_cause": "re_review", "exit_reasons": "收入超标", "months": "3"})
    assert decision.sent[-1][2] == {"cause": "re_review", "reasons": ["收入超标"], "months": 3}
    no = f"BG-{CASE}-01"
    await post_form(client, f"/support/households/{CASE}", f"/support/notices/{no}/delivery",
                    {"delivered_on": "2026-11-28", "received_by": "王主任"})
    assert decision.sent[-1][1:] == (f"/supported-households/notices/{no}/delivery",
                                     {"delivered_on": "2026-11-28", "received_by": "王主任"})
    printable = await client.get(f"/support/notices/{no}")
    assert printable.status_code == 200 and "变更通知书" in printable.text


async def test_a_refusal_is_shown_beside_its_field(tmp_path):
    decision = Decision()
    decision.refuse[f"/supported-households/{CASE}/changes"] = httpx.Response(422, json={
        "detail": "输入超出合理范围", "rule": "[limits]", "field": "effective_month",
        "errors": [{"field": "effective_month", "rule": "月份2026-10不得早于配置的最早生效月份2026-12"}]})
    client = await signed_in(console_app(tmp_path, decision), "lsj-lead-1")
    shown = await post_form(client, f"/support/households/{CASE}", f"/support/households/{CASE}/changes",
                            {"amount_yuan": "600", "cause": "re_review", "change_reasons": "收入增加",
                             "effective_month": "2026-10"})
    assert shown.status_code == 422 and "不得早于配置的最早生效月份" in shown.text and 'value="2026-10"' in shown.text


async def test_the_bureau_previews_then_applies_a_standard_raise(tmp_path):
    decision = Decision()
    client = await signed_in(console_app(tmp_path, decision), "bureau-ba-1")
    form = await client.get(f"/support/raise?jurisdiction={J}")
    assert form.status_code == 200 and "[[standards]]" in form.text
    preview = await client.post("/support/raise", data={"jurisdiction": J, "year": "2027", "effective_month": "2027-01",
                                                         "confirm": "preview", "csrftoken": csrf_of(form.text)})
    assert preview.status_code == 200 and "1,400.00" in preview.text and 'value="apply"' in preview.text
    assert decision.sent[-1] == (f"decision-{J}", "/standard-raises/preview", {"year": 2027, "effective_month": "2027-01"})
    applied = await client.post("/support/raise", data={"jurisdiction": J, "year": "2027", "effective_month": "2027-01",
                                                         "confirm": "apply", "csrftoken": csrf_of(preview.text)})
    assert applied.status_code == 200 and "已按2027年标准调整 1 户" in applied.text and 'value="apply"' not in applied.text
    assert decision.sent[-1][1] == "/standard-raises/apply"


async def test_the_pages_are_refused_to_other_roles(tmp_path):
    client = await signed_in(console_app(tmp_path, Decision()), "lsj-inv-a")
    assert (await client.get("/support")).status_code == 403
    assert (await client.get("/support/raise")).status_code == 403
