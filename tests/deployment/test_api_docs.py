"""Every service's API documentation works on an intranet without internet (issue "Out of the box",
part 4): /docs and /redoc, and everything they load, come from the service itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from jiuzhu_contracts.producers import SERVICES

BASE = "http://svc"
URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""", re.I)


class _References(HTMLParser):
    """Every URL an HTML page makes the browser load: scripts, styles, icons, images, frames."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name) and (tag != "a"):
                self.loads.append(attrs[name])


def _external(text: str) -> list[str]:
    return [u for u in URL.findall(text) if not u.startswith(f"{BASE}/")]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_api_docs_need_nothing_outside_the_service(apps, service, page):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[service]), base_url=BASE) as client:
        html = await client.get(page)
        assert html.status_code == 200 and "text/html" in html.headers["content-type"]
        assert _external(html.text) == [], f"{service}{page} names an outside address"
        refs = _References()
        refs.feed(html.text)
        scripts = [r for r in refs.loads if r.endswith(".js")]
        assert scripts, f"{service}{page} loads no script of its own"
        for ref in refs.loads:
            assert ref.startswith("/"), ref
            asset = await client.get(ref)
            assert asset.status_code == 200 and asset.content, ref
            if ref.endswith(".css"):
                # A stylesheet's url(…) and @import are loads too: only inline data is allowed.
                loaded = re.findall(r"""url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""", asset.text)
                assert all(u.startswith("data:") or not URL.match(u) for pair in loaded for u in pair if u), ref
        # The OpenAPI document the page shows is the service's own.
        spec = re.search(r"""(?:url: |spec-url=)["']([^"']+)["']""", html.text).group(1)
        assert (await client.get(spec)).status_code == 200
    if page == "/docs":
        assert '"validatorUrl": null' in html.text  # Swagger UI would fetch a badge from validator.swagger.io
