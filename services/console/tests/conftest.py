"""The console built as ./jz up builds it (its composition root), with the district's real
credentials; pages that need the services run in tests/e2e against the real district."""

import re
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def console_env(tmp_path, monkeypatch):
    from jiuzhu_devstack.credentials import ensure
    from jiuzhu_kernel.district_config import load_district_config

    creds = ensure(tmp_path / "credentials", load_district_config(ROOT / "config" / "urho.toml"))
    for key, value in creds.console_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JZ_DISTRICT_CONFIG", str(ROOT / "config" / "urho.toml"))
    monkeypatch.setenv("JZ_SERVICES", '{"oversight": "http://127.0.0.1:9"}')  # nothing listens: no service needed
    return creds


@pytest.fixture
async def browser_client(console_env):
    """An HTTP client that keeps cookies, as a browser does."""
    from jiuzhu_console.bootstrap import build
    from jiuzhu_console.settings import ConsoleSettings

    app = build(ConsoleSettings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console.test") as client:
        yield client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', html).group(1)
