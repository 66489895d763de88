"""/finance against a fake disbursement: the month's rosters, compiling (bureau_admin only),
a roster with its difference from last month, submitting, the exports passed through with their
type and file name, where each line of a submitted roster stands (disbursement's
/rosters/{rid}/payments), and the finance bureau's payment confirmation in bulk or line by line
of the lines still awaiting it."""

import json

import httpx

try:
    from .console_harness import console_app, csrf_of, signed_in
except ImportError:
    from console_harness import console_app, csrf_of, signed_in

NOV = "R-650205001-2026-11-v1"
OCT = "R-650205001-2026-10-v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT = ("jurisdiction,case_id,category,month,amount_fen,name,account,kind\n"
          '650205001,650205001-2026-00001,dibao,2026-11,130000,"李文斌","6222****0001",monthly\n'
          '650205001,650205001-2026-00007,dibao,2026-11,150000,"周芳","6222****0007",monthly\n'
          "\n# sha256 of the lines above: ab\n")


def roster(rid, month, status, totals, difference=None):
    return {"roster_id": rid, "scope": "650205001", "month": month, "version": 1, "status": status,
            "lines": sum(v[0] for v in totals.values()), "totals": totals, "checksum": "ab" * 32,
            "difference": difference, "compiled_on": "2026-10-29", "submitted_on": None}


def claim(case_id, status, reason=None, amount=130000, month="2026-11"):
    return {"case_id": case_id, "category": "dibao", "month": month, "amount_fen": amount, "status": status,
            "failure_reason": reason}


A, B = "650205001-2026-00001", "650205001-2026-00007"


class Disbursement:
    def __init__(self, november_status="submitted"):
        self.claims = [claim(A, "submitted"), claim(B, "submitted", amount=150000)]
        self.rosters = {OCT: roster(OCT, "2026-10", "submitted", {"dibao": [1, 130000]}),
                        NOV: roster(NOV, "2026-11", november_status, {"dibao": [2, 280000]},
                                    {"against": "R-650205001-2026-11-v0", "added": 1, "removed": 0, "changed": 0,
                                     "lines": ["+ 650205001-2026-00007 dibao 2026-11 周芳 1500.00元"]})}
        self.posts = []

    @staticmethod
    def roles_of(request: httpx.Request) -> list[str]:
        import base64
        claims = request.headers["authorization"].split(".")[1]
        return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["roles"]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, role = request.url.path, request.headers["authorization"]
        if request.method == "POST":
            body = json.loads(request.content or b"{}")
            self.posts.append((path, body))
            if path == "/rosters":
                if body["month"] == "2030-01":
                    return httpx.Response(422, json={"detail": "month too far ahead", "rule": "input limits",
                                                     "field": "month"})
                return httpx.Response(200, json=self.rosters[NOV])
            if path.endswith("/submit"):
                return httpx.Response(200, json=self.rosters[NOV] | {"status": "submitted"})
            if path.endswith("/payments"):
                for line in body.get("lines") or [{"case_id": c["case_id"], "status": "paid"} for c in self.claims]:
                    for c in self.claims:
                        if c["case_id"] == line["case_id"] and c["status"] == "submitted":
                            c.update(status=line["status"], failure_reason=line.get("failure_reason"))
                n = len(body.get("lines") or []) or 2
                failed = sum(1 for l in body.get("lines") or [] if l["status"] == "failed")
                return httpx.Response(200, json={"roster_id": NOV, "confirmed": n, "paid": n - failed, "failed": failed})
        if path == "/rosters":
            month = request.url.params["month"]
            return httpx.Response(200, json=[r for r in self.rosters.values() if r["month"] == month])
        if path.endswith("/payments"):
            self.limit = int(request.url.params["limit"])
            return httpx.Response(200, json=[dict(c) for c in self.claims][:self.limit])
        if path.startswith("/rosters/") and path.count("/") == 2:
            return httpx.Response(200, json=self.rosters[path.split("/")[2]])
        if path.endswith("/export.csv"):
            return httpx.Response(200, text=EXPORT, headers={"content-type": "text/csv; charset=utf-8",
                                                             "content-disposition": f'attachment; filename="{NOV}.csv"'})
        if path.endswith("/export.xlsx"):
            return httpx.Response(200, content=b"PK\x03\x04xlsx", headers={
                "content-type": XLSX, "content-disposition": f'attachment; filename="{NOV}.xlsx"'})
        if path == "/recipients":
            self.asked = dict(request.url.params)
            if "finance" in self.roles_of(request):
                return httpx.Response(403, json={"detail": "role(s) finance at district level may not do this"})
            return httpx.Response(200, json=[{"case_id": "650205001-2026-00001", "jurisdiction": "650205001",
                                              "category": "dibao", "public_name": "李*斌", "household_size": 2,
                                              "amount_fen": 130000, "from_month": "2026-11", "until_month": None,
                                              "payment_account": "6222****0001", "approved_on": "2026-10-28",
                                              "asked": str(request.url.params)}])
        if path == "/fund-plan":
            return httpx.Response(200, json=[{"month": "2026-11", "categories": {"dibao": {"households": 3, "amount_fen": 390000}}}])
        return httpx.Response(404, json={"detail": f"no {path}"})


async def test_the_months_rosters_and_only_the_bureau_may_compile(tmp_path):
    service = Disbursement()
    app = console_app(tmp_path, service)
    finance = await signed_in(app, "finance-1")
    page = await finance.get("/finance")
    assert page.status_code == 200 and "2026年11月发放名册" in page.text and NOV in page.text  # the business month
    assert "编制名册</button>" not in page.text and "在保对象登记</a>" not in page.text
    assert "3 户 / 3,900.00" in page.text  # the fund plan
    bureau = await signed_in(console_app(tmp_path, service), "bureau-ba-1")
    page = await bureau.get("/finance?month=2026-10")
    assert OCT in page.text and NOV not in page.text and "编制名册</button>" in page.text


async def test_compiling_and_a_refusal_beside_its_field(tmp_path):
    service = Disbursement(november_status="compiled")
    bureau = await signed_in(console_app(tmp_path, service), "bureau-ba-1")
    csrf = csrf_of((await bureau.get("/finance")).text)
    done = await bureau.post("/finance/rosters", data={"month": "2026-11", "jurisdiction": "650205001", "csrftoken": csrf})
    assert done.status_code == 303 and done.headers["location"] == f"/finance/rosters/{NOV}"
    assert service.posts[-1] == ("/rosters", {"month": "2026-11", "jurisdiction": "650205001"})
    page = await bureau.get(done.headers["location"])
    assert "已编制名册" in page.text and "报送财政</button>" in page.text
    refused = await bureau.post("/finance/rosters", data={"month": "2030-01", "jurisdiction": "", "csrftoken": csrf})
    assert refused.status_code == 422 and 'id="month-error"' in refused.text and "month too far ahead" in refused.text
    assert 'value="2030-01"' in refused.text  # what was typed stays


async def test_a_roster_shows_its_difference_from_last_month_and_is_submitted_by_the_bureau(tmp_path):
    service = Disbursement(november_status="compiled")
    bureau = await signed_in(console_app(tmp_path, service), "bureau-ba-1")
    page = await bureau.get(f"/finance/rosters/{NOV}")
    assert page.status_code == 200 and "合计及与上月比较" in page.text and OCT in page.text
    assert ">+1<" in page.text and "+1,500.00" in page.text  # 2 households / 2,800.00 against 1 / 1,300.00
    assert "新增</b> 650205001-2026-00007" in page.text  # the version difference disbursement describes
    done = await bureau.post(f"/finance/rosters/{NOV}/submit", data={"csrftoken": csrf_of(page.text)})
    assert done.status_code == 303 and service.posts[-1] == (f"/rosters/{NOV}/submit", {})


async def test_the_exports_keep_the_services_type_and_file_name(tmp_path):
    finance = await signed_in(console_app(tmp_path, Disbursement()), "finance-1")
    csv = await finance.get(f"/finance/rosters/{NOV}/export.csv")
    assert csv.headers["content-type"].startswith("text/csv") and csv.text == EXPORT
    assert csv.headers["content-disposition"] == f'attachment; filename="{NOV}.csv"'
    xlsx = await finance.get(f"/finance/rosters/{NOV}/export.xlsx")
    assert xlsx.headers["content-type"] == XLSX and xlsx.content == b"PK\x03\x04xlsx"
    assert (await finance.get("/finance/rosters/..%2Fhealth/export.csv")).status_code == 404


async def test_finance_confirms_payments_in_bulk_or_line_by_line(tmp_path):
    service = Disbursement()
    finance = await signed_in(console_app(tmp_path, service), "finance-1")
    page = await finance.get(f"/finance/rosters/{NOV}")
    assert "整批确认全部已发放" in page.text and "尚待确认 2 行" in page.text and "报送财政</button>" not in page.text
    assert 'name="lines.1.case_id" value="650205001-2026-00007"' in page.text and "已确认的行" not in page.text
    assert service.limit == 3  # one more than the roster's 2 lines: the answer is known to be whole
    csrf = csrf_of(page.text)
    done = await finance.post(f"/finance/rosters/{NOV}/payments", data={"all": "paid", "csrftoken": csrf})
    assert done.status_code == 303 and service.posts[-1] == (f"/rosters/{NOV}/payments", {"all": "paid"})
    form = {"csrftoken": csrf, "count": "2",
            "lines.0.case_id": A, "lines.0.category": "dibao", "lines.0.month": "2026-11",
            "lines.0.status": "paid",
            "lines.1.case_id": B, "lines.1.category": "dibao", "lines.1.month": "2026-11",
            "lines.1.status": "failed", "lines.1.failure_reason": "账户已销户"}
    done = await finance.post(f"/finance/rosters/{NOV}/payments", data=form)
    assert done.status_code == 303
    assert service.posts[-1][1]["lines"][1] == {"case_id": B, "category": "dibao",
                                                "month": "2026-11", "status": "failed", "failure_reason": "账户已销户"}
    page = await finance.get(f"/finance/rosters/{NOV}")
    assert "已发放 1 行，发放失败 1 行" in page.text


def _cells(html: str, table_class: str) -> list[list[str]]:
    import re
    table = re.search(rf'<table class="responsive {table_class}">(.*?)</table>', html, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S) if "<td" in row]


async def test_the_roster_shows_where_each_line_stands_and_offers_only_the_lines_awaiting_confirmation(tmp_path):
    service = Disbursement()
    service.claims = [claim(A, "paid"), claim(B, "failed", "账户已销户", amount=150000),
                      claim("650205001-2026-00009", "submitted", amount=90000)]
    finance = await signed_in(console_app(tmp_path, service), "finance-1")
    page = await finance.get(f"/finance/rosters/{NOV}")
    assert _cells(page.text, "payment-counts") == [["待确认", "1", "900.00"], ["已发放", "1", "1,300.00"],
                                                    ["发放失败", "1", "1,500.00"], ["合计", "3", "3,700.00"]]
    assert _cells(page.text, "payments-confirmed") == [
        [B, "最低生活保障", "2026-11", "1,500.00", "发放失败", "账户已销户"],  # failed first
        [A, "最低生活保障", "2026-11", "1,300.00", "已发放", "—"]]
    assert 'name="count" value="1"' in page.text and 'name="lines.0.case_id" value="650205001-2026-00009"' in page.text
    assert f'name="lines.0.case_id" value="{A}"' not in page.text and "lines.1.case_id" not in page.text
    assert "尚待确认 1 行" in page.text and "整批确认全部已发放" in page.text

    service.claims[2]["status"] = "paid"  # nothing left to confirm: neither the form nor the button
    page = await finance.get(f"/finance/rosters/{NOV}")
    assert "整批确认全部已发放" not in page.text and "确认所选行" not in page.text
    assert "名册各行均已确认，没有待确认的行" in page.text
    assert _cells(page.text, "payment-counts")[0] == ["待确认", "0", "0.00"]
    assert "下载 CSV" in page.text and "下载 Excel" in page.text  # the downloads stay

    bureau = await signed_in(console_app(tmp_path, service), "bureau-ba-1")  # the bureau sees, but confirms nothing
    service.claims[2]["status"] = "submitted"
    page = await bureau.get(f"/finance/rosters/{NOV}")
    assert "发放失败" in page.text and "账户已销户" in page.text and "整批确认全部已发放" not in page.text


async def test_a_line_carried_on_to_a_later_roster_is_explained_and_a_compiled_roster_has_no_standing(tmp_path):
    service = Disbursement()
    service.claims = [claim(A, "paid")]  # B failed and was carried into a later roster
    finance = await signed_in(console_app(tmp_path, service), "finance-1")
    page = await finance.get(f"/finance/rosters/{NOV}")
    assert "其中 1 行不在本名册的发放记录中" in page.text
    compiled = Disbursement(november_status="compiled")
    bureau = await signed_in(console_app(tmp_path, compiled), "bureau-ba-1")
    page = await bureau.get(f"/finance/rosters/{NOV}")
    assert page.status_code == 200 and "发放结果" not in page.text and not hasattr(compiled, "limit")


async def test_the_register_of_active_recipients_for_the_bureau_and_the_services_refusal_for_finance(tmp_path):
    service = Disbursement()
    bureau = await signed_in(console_app(tmp_path, service), "bureau-ba-1")
    page = await bureau.get("/finance/recipients?jurisdiction=650205001")
    assert page.status_code == 200 and "李*斌" in page.text and "1,300.00" in page.text and "在保" in page.text
    assert service.asked == {"limit": "2000", "jurisdiction": "650205001"}
    finance = await signed_in(console_app(tmp_path, service), "finance-1")
    refused = await finance.get("/finance/recipients")
    assert refused.status_code == 403 and "may not do this" in refused.text
