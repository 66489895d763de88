"""Production sign-in: the province's identity provider by OpenID Connect (authorization code).
The provider here is a stand-in served on loopback (discovery document and token endpoint); the
console, authlib and the token checks are the real ones."""

import asyncio
import base64
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from jiuzhu_devstack.ports import free_port
from jiuzhu_devstack.testing import eventually


class Province:
    """What the console needs of the province's identity provider."""

    def __init__(self, issuer, port: int):
        self.issuer, self.base = issuer, f"http://127.0.0.1:{port}"
        self.claims = {"sub": "p-9", "name": "省平台用户", "roles": ["finance"], "jurisdiction": "650205",
                       "district": "650205"}
        self.token_requests: list[dict] = []

    async def discovery(self, _: Request):
        return JSONResponse({"issuer": self.base, "authorization_endpoint": f"{self.base}/authorize",
                             "token_endpoint": f"{self.base}/token", "jwks_uri": f"{self.base}/jwks",
                             "response_types_supported": ["code"]})

    async def token(self, request: Request):
        form = dict(await request.form())
        basic = request.headers.get("authorization", "")
        form["client"] = base64.b64decode(basic.split(" ")[1]).decode() if basic.startswith("Basic ") else ""
        self.token_requests.append(form)
        if form.get("code") != "code-123":
            return JSONResponse({"error": "invalid_grant", "error_description": "code unknown"}, status_code=400)
        access = self.issuer.mint(**self.claims)
        return JSONResponse({"access_token": access, "token_type": "Bearer", "expires_in": 3600})

    def app(self):
        return Starlette(routes=[Route("/.well-known/openid-configuration", self.discovery),
                                 Route("/token", self.token, methods=["POST"])])


@pytest.fixture
async def province(console_env):
    port = free_port()
    idp = Province(console_env.issuer(), port)
    server = uvicorn.Server(uvicorn.Config(idp.app(), host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started)
    yield idp
    server.should_exit = True
    await task


@pytest.fixture
async def oidc_console(province, console_env, monkeypatch, tmp_path):
    from jiuzhu_console.bootstrap import build
    from jiuzhu_console.settings import ConsoleSettings

    secret = tmp_path / "oidc-client-secret"
    secret.write_text("s3cret")
    monkeypatch.setenv("JZ_SIGN_IN", "oidc")
    monkeypatch.setenv("JZ_OIDC_METADATA_URL", f"{province.base}/.well-known/openid-configuration")
    monkeypatch.setenv("JZ_OIDC_CLIENT_ID", "jiuzhu-console-650205")
    monkeypatch.setenv("JZ_OIDC_CLIENT_SECRET_FILE", str(secret))
    monkeypatch.delenv("JZ_DEV_ISSUER_KEY_FILE")
    app = build(ConsoleSettings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console.test") as client:
        yield client


async def test_sign_in_goes_to_the_province_and_comes_back_with_its_token(oidc_console, province):
    go = await oidc_console.get("/signin", params={"next": "/finance"})
    assert go.status_code == 302
    target = urlsplit(go.headers["location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{province.base}/authorize"
    assert query["client_id"] == ["jiuzhu-console-650205"] and query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://console.test/signin/callback"] and "openid" in query["scope"][0]
    back = await oidc_console.get("/signin/callback", params={"code": "code-123", "state": query["state"][0]})
    assert back.status_code == 303 and back.headers["location"] == "/finance"
    assert province.token_requests[-1]["client"] == "jiuzhu-console-650205:s3cret"
    assert (await oidc_console.get("/")).headers["location"] == "/finance"  # signed in as the province said


async def test_a_callback_with_a_forged_state_signs_nobody_in(oidc_console, province):
    await oidc_console.get("/signin")
    back = await oidc_console.get("/signin/callback", params={"code": "code-123", "state": "forged"})
    assert back.status_code == 401 and "登录未成功" in back.text
    assert province.token_requests == []
    assert (await oidc_console.get("/")).headers["location"].startswith("/signin")


async def test_a_token_of_another_district_is_refused(oidc_console, province):
    province.claims = {"sub": "p-9", "name": "省平台用户", "roles": ["finance"], "jurisdiction": "",
                       "district": "999999"}
    go = await oidc_console.get("/signin")
    state = parse_qs(urlsplit(go.headers["location"]).query)["state"][0]
    back = await oidc_console.get("/signin/callback", params={"code": "code-123", "state": state})
    assert back.status_code == 401 and "不是本区（650205）" in back.text
    assert (await oidc_console.get("/")).headers["location"].startswith("/signin")


async def test_a_token_the_services_would_not_accept_is_refused(oidc_console, province, console_env):
    from jiuzhu_runtime.auth import TokenIssuer

    province.issuer = TokenIssuer(console_env.issuer()._key.private_bytes(  # same key, another issuer name
        *_pem()).decode(), issuer="someone-else")
    go = await oidc_console.get("/signin")
    state = parse_qs(urlsplit(go.headers["location"]).query)["state"][0]
    back = await oidc_console.get("/signin/callback", params={"code": "code-123", "state": state})
    assert back.status_code == 401 and "身份令牌不符合本系统要求" in back.text


def _pem():
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
