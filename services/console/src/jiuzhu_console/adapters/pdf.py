"""Print-ready HTML to PDF (WeasyPrint; Chinese set in the system's Noto CJK fonts, which the
document's stylesheet names)."""

from __future__ import annotations

import asyncio


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


async def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """In a worker thread: a page takes tens of milliseconds to lay out."""
    return await asyncio.to_thread(html_to_pdf, html, base_url)
