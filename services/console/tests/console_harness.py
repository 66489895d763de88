"""A console wired as in production (bootstrap.build) to fake services (httpx.MockTransport): the
pages' own behaviour, with each service's answer chosen by the test. Sign-in is the development
directory of config/urho.toml."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from jiuzhu_console.bootstrap import build
from jiuzhu_console.settings import ConsoleSettings

ROOT = Path(__file__).resolve().parents[3]
SERVICES = {"oversight": "http://oversight", "disbursement": "http://disbursement",
            **{f"{s}/{j}": f"http://{s}-{j}" for s in ("intake", "verification", "publicity", "decision")
               for j in ("650205001", "650205100", "650205400")}}
BUSINESS_NOW = "2026-11-28T10:00:00+08:00"


def console_app(tmp_path: Path, answer):
    """``answer(request) -> httpx.Response`` plays every service; /health is answered here."""
    key = Ed25519PrivateKey.generate()
    (tmp_path / "issuer.key").write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    (tmp_path / "issuer.pub").write_bytes(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    (tmp_path / "session.secret").write_text("s" * 40)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/health":
            return httpx.Response(200, json={"business_now": BUSINESS_NOW})
        return answer(request)

    settings = ConsoleSettings(district_config=ROOT / "config/urho.toml", services=SERVICES,
                               session_secret_file=tmp_path / "session.secret",
                               dev_issuer_key_file=tmp_path / "issuer.key",
                               jwt_public_key_file=tmp_path / "issuer.pub")
    return build(settings, transport=httpx.MockTransport(handler))


def csrf_of(html: str) -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', html).group(1)


async def signed_in(app, staff_id: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console")
    page = await client.get("/signin")
    done = await client.post("/signin", data={"staff_id": staff_id, "next": "/", "csrftoken": csrf_of(page.text)})
    assert done.status_code == 303, done.text
    return client
