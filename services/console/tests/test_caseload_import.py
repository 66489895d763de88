"""/caseload/import against a fake decision service: the template passed through, the upload
forwarded as the multipart field ``file`` to the jurisdiction's decision, the counts on success,
every bad row on a 422, the record of past imports; the district bureau chooses the jurisdiction;
other roles are refused before any call."""

import httpx

try:
    from .console_harness import console_app, csrf_of, signed_in
except ImportError:
    from console_harness import console_app, csrf_of, signed_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD = {"detail": "文件中有1行不符合要求，本次未导入任何一户，请改正后重新导入 / 1 row(s) …", "rule": "issue 15",
       "bad_rows": [5], "rows": [{"row": 5, "field": "户主身份证号", "rule": "身份证号码校验码不符 / check character"}]}


class Decision:
    def __init__(self):
        self.uploads = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, host = request.url.path, request.url.host
        if path == "/supported-households/import-template":
            fmt = request.url.params.get("format")
            kind = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
            return httpx.Response(200, content=f"template-{fmt}".encode(), headers={
                "content-type": kind, "content-disposition": f'attachment; filename="recipients.{fmt}"'})
        if path == "/supported-households/imports":
            return httpx.Response(200, json=[{"import_no": 1, "file_name": "旧.csv", "file_sha256": "a" * 64,
                                              "imported_by_name": "刘窗口", "imported_by_role": "clerk",
                                              "imported_at": "2026-11-27T02:00:00Z", "rows": 3, "imported": 3,
                                              "unchanged": 0}])
        if path == "/supported-households/import" and request.method == "POST":
            assert request.headers["content-type"].startswith("multipart/form-data")
            body = request.read()
            self.uploads.append((host, body))
            if b"bad-row" in body:
                return httpx.Response(422, json=BAD)
            return httpx.Response(200, json={"file_name": "存量.csv", "file_sha256": "b" * 64, "rows": 2,
                                             "imported": 2, "unchanged": 0, "case_ids": ["x", "y"]})
        return httpx.Response(404, json={"detail": f"unexpected {request.method} {path}"})


async def post_file(client, content: bytes, name="存量.csv", jurisdiction=""):
    page = await client.get("/caseload/import")
    # The CSRF token first: the console's guard reads it from the start of a multipart form.
    return await client.post("/caseload/import", data={"csrftoken": csrf_of(page.text), "jurisdiction": jurisdiction},
                             files={"file": (name, content, "text/csv")})


async def test_the_clerk_downloads_the_template_uploads_and_sees_the_counts(tmp_path):
    decision = Decision()
    client = await signed_in(console_app(tmp_path, decision), "lsj-clerk-1")
    page = await client.get("/caseload/import")
    assert page.status_code == 200 and "存量对象导入" in page.text and "刘窗口" in page.text
    assert 'href="/caseload/import"' in page.text  # in the navigation
    for fmt, kind in (("xlsx", XLSX), ("csv", "text/csv")):
        t = await client.get(f"/caseload/import-template?format={fmt}")
        assert t.status_code == 200 and t.headers["content-type"].startswith(kind) and t.content == f"template-{fmt}".encode()
        assert f"recipients.{fmt}" in t.headers["content-disposition"]

    done = await post_file(client, "户主姓名,户主身份证号\n张三,1\n".encode())
    assert done.status_code == 200, done.text
    assert "新导入 <strong>2</strong> 户" in done.text
    host, body = decision.uploads[-1]
    assert host == "decision-650205001" and "户主姓名".encode() in body and b'name="file"' in body


async def test_a_refused_file_shows_every_bad_row(tmp_path):
    client = await signed_in(console_app(tmp_path, Decision()), "lsj-lead-1")
    refused = await post_file(client, b"bad-row")
    assert refused.status_code == 422
    assert "未导入" in refused.text and "户主身份证号" in refused.text and "校验码不符" in refused.text
    assert ">5<" in refused.text
    empty = await post_file(client, b"", name="")
    assert empty.status_code == 422 and "请选择要导入的文件" in empty.text


async def test_an_upload_without_this_pages_token_or_elsewhere_is_refused(tmp_path):
    decision = Decision()
    client = await signed_in(console_app(tmp_path, decision), "lsj-clerk-1")
    await client.get("/caseload/import")
    forged = await client.post("/caseload/import", data={"csrftoken": "forged"}, files={"file": ("a.csv", b"x")})
    assert forged.status_code == 403 and decision.uploads == []
    no_token = await client.post("/caseload/import", files={"file": ("a.csv", b"x")})
    assert no_token.status_code == 403 and decision.uploads == []
    elsewhere = await client.post("/clerk/close-relatives", files={"file": ("a.csv", b"x")})
    assert elsewhere.status_code == 415  # multipart only where a page uploads a file


async def test_the_bureau_chooses_the_jurisdiction_and_others_are_refused(tmp_path):
    decision = Decision()
    bureau = await signed_in(console_app(tmp_path, decision), "bureau-ba-1")
    page = await bureau.get("/caseload/import?jurisdiction=650205100")
    assert page.status_code == 200 and "乌尔禾镇人民政府" in page.text
    done = await post_file(bureau, b"x", jurisdiction="650205400")
    assert done.status_code == 200 and decision.uploads[-1][0] == "decision-650205400"

    (tmp_path / "i").mkdir()
    investigator = await signed_in(console_app(tmp_path / "i", decision), "lsj-inv-a")
    refused = await investigator.get("/caseload/import")
    assert refused.status_code == 403 and "存量对象导入页面" in refused.text
    assert 'href="/caseload/import"' not in refused.text
    assert len(decision.uploads) == 1
