"""Print-ready HTML to PDF (WeasyPrint; Chinese set in the system's Noto CJK fonts, which the
document's stylesheet names)."""

from __future__ import annotations

import asyncio


def _no_fetching():
    """A document is laid out from its own HTML and the system's fonts only: WeasyPrint fetches
    nothing (no image, stylesheet or font by URL), so text that slipped into a document can never
    make the console call another address."""
    from weasyprint.urls import URLFetcher

    class NothingByUrl(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"documents load nothing by URL ({url[:80]})")

    return NothingByUrl()


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=_no_fetching()).write_pdf()


async def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """In a worker thread: a page takes tens of milliseconds to lay out."""
    return await asyncio.to_thread(html_to_pdf, html, base_url)
