"""The PDF path for real: WeasyPrint lays out a document in Chinese on one A4 page in the system's
Noto CJK fonts (Debian's fonts-noto-cjk). Without the fonts the names below are not in the PDF and
the test fails — the documents would print as empty boxes."""

import re
import zlib

from jiuzhu_console.adapters.pdf import html_to_pdf, render_pdf

DOCUMENT = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 14pt; }
h1 { text-align: center; font-size: 22pt; } .docno { text-align: center; font-family: "Noto Sans CJK SC", sans-serif; }
.seal { margin: 16mm 0 0 auto; width: 80mm; text-align: center; }
</style></head><body>
<h1>社会救助不予批准通知书</h1><p class="docno">BY-650205001-2026-00002-1</p>
<p>和谐社区居民委员会：</p><p>你居张力家庭申请城乡最低生活保障，经调查核实、审核，决定不予批准。</p>
<p class="seal">柳树街街道办事处（盖章）<br>2026年11月28日</p>
</body></html>"""


def readable(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams hold the page and font dictionaries) inflated."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return b"\n".join(parts)


def pages_and_sizes(pdf: bytes) -> tuple[int, list[tuple[float, float]]]:
    pdf = readable(pdf)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    boxes = [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]
    return pages, boxes


def test_a_chinese_document_is_one_a4_page_set_in_noto_cjk():
    pdf = html_to_pdf(DOCUMENT)
    assert pdf.startswith(b"%PDF-")
    pages, boxes = pages_and_sizes(pdf)
    assert pages == 1
    assert boxes and all(abs(w - 595.28) < 1 and abs(h - 841.89) < 1 for w, h in boxes)  # A4 in points
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", readable(pdf)))
    assert b"Noto-Serif-CJK-SC" in fonts and b"Noto-Sans-CJK-SC" in fonts, fonts


async def test_render_pdf_lays_out_in_a_worker_thread():
    pdf = await render_pdf(DOCUMENT)
    assert pdf.startswith(b"%PDF-") and pages_and_sizes(pdf)[0] == 1


def test_a_document_fetches_nothing_by_url(tmp_path):
    """An <img> or stylesheet naming an address is not fetched (the PDF is still made)."""
    import http.server
    import threading

    from jiuzhu_console.adapters.pdf import html_to_pdf

    asked: list[str] = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        pdf = html_to_pdf(f'<html><head><link rel="stylesheet" href="{url}/s.css"></head>'
                          f'<body><p>受理回执</p><img src="{url}/i.png"></body></html>')
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF") and asked == []
