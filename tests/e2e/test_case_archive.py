"""档案 (issue 16 item 8): a closed case downloaded from the console as one archive and opened —
its documents as PDF, its timeline and deadlines, a manifest whose SHA-256 values match every file;
an auditor's archive also carries the case's trail in the audit chain. A case still in procedure,
another jurisdiction's clerk and a person who is not signed in are refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import zipfile
from pathlib import Path

import httpx
import pytest

from .desk import CHROMIUM, Desk
from .steps import C1, J1, at

_households = iter(range(8101, 8200))


async def signed_in(console_url: str, staff_id: str) -> httpx.AsyncClient:
    """A browser-like HTTP client signed in to the console by the development sign-in."""
    client = httpx.AsyncClient(base_url=console_url, timeout=60)
    page = await client.get("/signin")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    signed = await client.post("/signin", data={"staff_id": staff_id, "next": "/", "csrftoken": token},
                               headers={"Origin": console_url})
    assert signed.status_code in (200, 303), signed.text[:500]
    return client


def opened(body: bytes, case_id: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name.removeprefix(f"{case_id}/"): archive.read(name) for name in archive.namelist()}


async def test_a_withdrawn_case_downloads_as_one_archive_whose_manifest_holds(district, walker):
    console = district.stack.console.url
    await district.set_business_time(at(dt.date(2023, 4, 3)))
    running = await walker.apply(J1, walker.household(next(_households)), committee=C1)
    withdrawn = await walker.apply(J1, walker.household(next(_households)), committee=C1)
    case_id = withdrawn["case_id"]
    await walker.call("POST", "intake", J1, f"/cases/{case_id}/withdrawal", role="clerk", json={"reason": "已找到工作"})

    async def stage_is_withdrawn():
        r = await walker.call("GET", "intake", J1, f"/cases/{case_id}", role="clerk")
        return r.json()["stage"] == "withdrawn"
    await walker.until(stage_is_withdrawn)

    clerk = await signed_in(console, "lsj-clerk-1")
    try:
        case_page = await clerk.get(f"/cases/{case_id}")
        assert f"/cases/{case_id}/archive.zip" in case_page.text
        r = await clerk.get(f"/cases/{case_id}/archive.zip")
        assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
        files = opened(r.content, case_id)
        manifest = json.loads(files["manifest.json"])
        assert manifest["case_id"] == case_id and manifest["stage"] == "withdrawn"
        assert manifest["keep_until_end_of"] == 2023 + district.stack.config.archive_retention_years
        listed = {f["name"]: f["sha256"] for f in manifest["files"]}
        assert set(listed) == set(files) - {"manifest.json"}
        for name, digest in listed.items():
            assert hashlib.sha256(files[name]).hexdigest() == digest, name
        assert files["documents/受理回执.pdf"].startswith(b"%PDF")
        steps = [s["step"] for s in json.loads(files["timeline.json"])]
        assert steps[0] == "申请已受理" and steps[-1] == "申请人撤回申请"
        assert any("audit-trail.json" in x for x in manifest["not_included"])  # a clerk may not read the chain

        in_procedure = await clerk.get(f"/cases/{running['case_id']}/archive.zip")
        assert in_procedure.status_code == 409 and "尚未办结" in in_procedure.text
    finally:
        await clerk.aclose()

    other = await signed_in(console, "wet-clerk-1")
    try:
        assert (await other.get(f"/cases/{case_id}/archive.zip")).status_code == 403
    finally:
        await other.aclose()
    async with httpx.AsyncClient(base_url=console) as anonymous:
        r = await anonymous.get(f"/cases/{case_id}/archive.zip")
        assert r.status_code in (302, 303, 401) and "archive" not in r.headers.get("content-type", "")

    auditor = await signed_in(console, "bureau-aud-1")
    try:
        async def with_trail():
            r = await auditor.get(f"/cases/{case_id}/archive.zip")
            if r.status_code != 200:
                return None
            files = opened(r.content, case_id)
            trail = json.loads(files.get("audit-trail.json", b"[]"))
            return trail if any(e["event_type"] == "application_withdrawn" for e in trail) else None
        trail = await walker.until(with_trail)
        assert [e["event_type"] for e in trail][0] == "application_accepted"
        assert all(e["prev_hash"] and e["hash"] for e in trail)
    finally:
        await auditor.aclose()


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (./jz test installs it as root)")
async def test_the_clerk_downloads_the_archive_from_the_case_page_in_chromium(district, walker, browser, console):
    """The same archive through the screen a clerk uses: the case page's button, the browser's download,
    the file opened; another jurisdiction's clerk is shown no button and refused the file."""
    await district.set_business_time(at(dt.date(2023, 4, 3)))
    withdrawn = await walker.apply(J1, walker.household(next(_households)), committee=C1)
    case_id = withdrawn["case_id"]
    await walker.call("POST", "intake", J1, f"/cases/{case_id}/withdrawal", role="clerk", json={"reason": "已迁出本区"})

    async with Desk(browser, console, "lsj-clerk-1") as clerk:
        await clerk.until_text(f"/cases/{case_id}", "下载案件档案")
        button = clerk.page.get_by_role("link", name=re.compile("下载案件档案"))
        await button.scroll_into_view_if_needed()
        await clerk.shot("case-archive-button")
        async with clerk.page.expect_download() as waiting:
            await button.click()
        download = await waiting.value
        assert download.suggested_filename.endswith(".zip") and case_id in download.suggested_filename
        files = opened(Path(await download.path()).read_bytes(), case_id)
        manifest = json.loads(files["manifest.json"])
        assert manifest["case_id"] == case_id and manifest["stage"] == "withdrawn"
        for entry in manifest["files"]:
            assert hashlib.sha256(files[entry["name"]]).hexdigest() == entry["sha256"], entry["name"]
        assert files["documents/受理回执.pdf"].startswith(b"%PDF")

    async with Desk(browser, console, "wet-clerk-1") as other:  # 乌尔禾镇's clerk: not this jurisdiction's case
        await other.open(f"/cases/{case_id}")
        assert "下载案件档案" not in await other.page.content()
        response = await other.open(f"/cases/{case_id}/archive.zip")
        assert response.status == 403
