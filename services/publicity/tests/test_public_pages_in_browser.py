"""The public pages in headless Chromium (Debian's package, driven by Playwright): open the board,
file an objection, see it recorded. Also: no private data on any public page; rate limiting."""

import asyncio
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import uvicorn

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import ReviewSigned
from jiuzhu_devstack.ports import free_port
from jiuzhu_devstack.testing import eventually

from jiuzhu_publicity.bootstrap import build

J, COMMITTEE = "650205001", "柳树街社区居民委员会"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(os.environ.get("JZ_SCREENSHOTS", "/tmp/jiuzhu-screenshots"))


@pytest.fixture
async def served(service_runner):
    async with service_runner(build, "publicity", J) as svc:
        review = next(e for e in EXAMPLES if isinstance(e, ReviewSigned))
        await svc.publish(Envelope.wrap(review, district="650205", jurisdiction=J,
                                        actor=Actor(id="rev-1", role="reviewer", name="赵审核"),
                                        occurred_at=svc.kit.clock.now(), case_id="650205001-2022-00001"))
        await eventually(lambda: svc.published("publicity_opened"))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(svc.client._transport.app, host="127.0.0.1", port=port,
                                               lifespan="off", log_level="warning"))
        task = asyncio.create_task(server.serve())
        await eventually(lambda: server.started)
        try:
            yield svc, f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            await task


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (./jz test installs it as root)")
async def test_open_the_board_file_an_objection_and_see_it_recorded(served):
    from playwright.async_api import async_playwright

    assert CHROMIUM, "chromium must be installed in CI (./jz test installs Debian's package)"
    svc, base = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = await browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        await page.goto(f"{base}/public")
        await page.click(f"text={COMMITTEE}")
        notice = page.locator(".notice").first
        assert "张三" in await notice.inner_text() and "1,300.00" in await notice.inner_text()
        await page.screenshot(path=str(SHOTS / "board.png"), full_page=True)
        await notice.locator("a.object").click()
        assert await page.input_value("#notice_no") == "GS-650205001-2022-00001-1"
        await page.fill("#summary", "该户实际有稳定经营收入，请核查。")
        await page.check("input[name=anonymous]")
        await page.click("button[type=submit]")
        message = await page.inner_text("#message")
        await page.screenshot(path=str(SHOTS / "objection-recorded.png"), full_page=True)
        await browser.close()
    assert "您的异议已记录" in message
    objection_id = message.split("编号 ")[1].split("。")[0]
    recorded = (await svc.client.get("/objections", headers=svc.token("clerk"))).json()
    assert [(o["objection_id"], o["channel"], o["anonymous"]) for o in recorded] == [(objection_id, "web", True)]
    [raised] = await svc.published("objection_raised")
    assert raised.payload.objection_id == objection_id and raised.payload.notice_no == "GS-650205001-2022-00001-1"


async def test_public_objections_are_rate_limited(served):
    svc, _ = served
    statuses = []
    for _ in range(8):
        r = await svc.client.post("/public/objections", data={"notice_no": "GS-650205001-2022-00001-1",
                                                               "summary": "重复提交的异议内容"})
        statuses.append(r.status_code)
    assert statuses[:6] == [201] * 6 and statuses[6:] == [429, 429]


async def test_objection_outside_the_window_is_refused(served):
    svc, _ = served
    svc.kit.clock.set(svc.kit.clock.now() + dt.timedelta(days=30))
    r = await svc.client.post("/public/objections", data={"notice_no": "GS-650205001-2022-00001-1",
                                                          "summary": "公示期已过的异议"})
    assert r.status_code == 409 and "不在公示期内（公示期为2022-03-01至2022-03-10）" in r.text
    assert "publicity window" not in r.text  # the service layer's English never reaches the public form
    unknown = await svc.client.post("/public/objections", data={"notice_no": "GS-nope", "summary": "不存在的公示"})
    assert unknown.status_code == 404
