"""A member of staff at their desk: a browser context of its own (its own session cookie), signed
in to the running district's console by the development sign-in. Used by the console scenarios."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(os.environ.get("JZ_SCREENSHOTS", "/tmp/jiuzhu-screenshots")) / "console"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN"]


class Desk:
    def __init__(self, browser, base_url: str, staff_id: str, viewport=(1280, 800)):
        self.browser, self.base, self.staff_id, self.viewport = browser, base_url, staff_id, viewport
        self.context = self.page = None

    async def __aenter__(self) -> "Desk":
        self.context = await self.browser.new_context(
            base_url=self.base, viewport={"width": self.viewport[0], "height": self.viewport[1]}, locale="zh-CN")
        self.context.set_default_timeout(20_000)
        self.page = await self.context.new_page()
        await self.page.goto("/signin")
        await self.page.locator(f"input[name=staff_id][value='{self.staff_id}']").check()
        await self.page.get_by_role("button", name="登录").click()
        await self.page.wait_for_url(lambda url: "/signin" not in url)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.context.close()

    async def open(self, path: str):
        response = await self.page.goto(path)
        return response

    async def until_text(self, path: str, text: str, attempts: int = 120) -> None:
        """Reload ``path`` until it shows ``text`` — what a clerk does while the bus carries the case
        on. Each look waits for the page's load, not for a fixed time."""
        for _ in range(attempts):
            await self.page.goto(path)
            if text in await self.page.content():
                return
            await self.page.wait_for_timeout(250)  # a person's glance between reloads, not a stand-in for a condition
        raise AssertionError(f"{path} did not show {text!r}; last page:\n{(await self.page.inner_text('main'))[:1500]}")

    async def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        await self.page.screenshot(path=str(path), full_page=False)
        return path
