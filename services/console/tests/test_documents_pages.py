"""GET /documents/{kind}/{ref}: the service's own document, fetched with the person's token, with a
toolbar that is not printed; .pdf: the same as an A4 PDF with a Chinese file name; an unknown kind
is a 404 page in Chinese; the service's refusal is shown with its status and words."""

import json
from urllib.parse import unquote

import httpx

try:
    from .console_harness import console_app, signed_in
except ImportError:
    from console_harness import console_app, signed_in

from jiuzhu_console.entrypoints.pages.documents import print_ready

RECEIPT = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>受理回执</title>"
           "<style>@page { size: A4; margin: 25mm 20mm; } body { font-family: \"Noto Serif CJK SC\"; }</style>"
           "</head><body><h1>社会救助申请受理回执</h1><p class=\"docno\">受理编号：650205001-2026-00001</p>"
           "<p class=\"seal\">柳树街街道办事处（盖章）<br>2026年10月19日</p></body></html>")


def services(seen: list):
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.url.path, request.headers.get("authorization", "")))
        if request.url.path == "/cases/650205001-2026-00001/receipt":
            return httpx.Response(200, text=RECEIPT, headers={"content-type": "text/html; charset=utf-8"})
        return httpx.Response(403, json={"detail": "role(s) finance at district level may not do this"})
    return answer


async def test_the_print_ready_page_is_the_services_document_with_a_toolbar_hidden_in_print(tmp_path):
    seen = []
    client = await signed_in(console_app(tmp_path, services(seen)), "lsj-clerk-1")
    page = await client.get("/documents/receipt/650205001-2026-00001")
    assert page.status_code == 200
    assert "社会救助申请受理回执" in page.text and "受理编号：650205001-2026-00001" in page.text
    assert 'data-print hidden>打印</button>' in page.text and "/static/documents.js" in page.text
    assert 'href="/documents/receipt/650205001-2026-00001.pdf"' in page.text
    assert "@media print { .jz-toolbar { display: none !important; } }" in page.text
    assert "工作台" not in page.text.split("<body>", 1)[1].split("jz-toolbar\"", 1)[0]  # no console header
    host, path, auth = seen[-1]
    assert (host, path) == ("intake-650205001", "/cases/650205001-2026-00001/receipt")  # the case's jurisdiction
    assert auth.startswith("Bearer ey")  # the person's own token


async def test_the_pdf_is_a4_with_a_chinese_file_name(tmp_path):
    client = await signed_in(console_app(tmp_path, services([])), "lsj-clerk-1")
    pdf = await client.get("/documents/receipt/650205001-2026-00001.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    disposition = pdf.headers["content-disposition"]
    assert 'filename="receipt-650205001-2026-00001.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "受理回执-650205001-2026-00001.pdf"


async def test_an_unknown_kind_is_a_404_page_in_chinese(tmp_path):
    seen = []
    client = await signed_in(console_app(tmp_path, services(seen)), "lsj-clerk-1")
    for url in ("/documents/invoice/650205001-2026-00001", "/documents/invoice/650205001-2026-00001.pdf",
                "/documents/receipt/a.b", "/documents/receipt/x%3Fy=1"):
        page = await client.get(url)
        assert page.status_code == 404 and "没有这份文书" in page.text, url
    assert seen == []  # nothing asked of any service


async def test_the_services_refusal_keeps_its_status_and_words(tmp_path):
    client = await signed_in(console_app(tmp_path, services([])), "finance-1")
    page = await client.get("/documents/refusal-notice/650205001-2026-00002")
    assert page.status_code == 403
    assert "未能取得不予批准通知书" in page.text and "may not do this" in page.text and "403" in page.text


async def test_a_correction_notice_goes_to_the_jurisdiction_asked_for(tmp_path):
    seen = []
    client = await signed_in(console_app(tmp_path, services(seen)), "lsj-clerk-1")
    await client.get("/documents/correction-notice/A-17")
    assert seen[-1][:2] == ("intake-650205001", "/applications/A-17/correction-notice")  # the clerk's own
    await client.get("/documents/correction-notice/A-17?jurisdiction=650205100")
    assert seen[-1][:2] == ("intake-650205100", "/applications/A-17/correction-notice")


def test_the_toolbar_goes_first_in_the_body():
    assert print_ready('<html><body class="x"><h1>标题</h1></body></html>', "<nav>T</nav>") == \
        '<html><body class="x"><nav>T</nav><h1>标题</h1></body></html>'
    assert print_ready("<h1>标题</h1>", "<nav>T</nav>") == "<nav>T</nav><h1>标题</h1>"
