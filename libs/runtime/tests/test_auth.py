import datetime as dt

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from fastapi import Depends, FastAPI

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.auth import AccessPolicy, Principal, TokenIssuer, TokenVerifier
from jiuzhu_runtime.errors import install_error_handlers


def _issuer() -> TokenIssuer:
    pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    return TokenIssuer(pem)


ISSUER = _issuer()
OTHER_ISSUER = _issuer()  # a key pair the services do not trust


def app_for(jurisdiction: str | None) -> FastAPI:
    policy = AccessPolicy(TokenVerifier(public_key=ISSUER.public_pem()), "650205", jurisdiction)
    app = FastAPI()
    install_error_handlers(app)
    rule = (policy.allow(Role.LEADER, district=[Role.BUREAU_ADMIN]) if jurisdiction
            else policy.allow(district=[Role.INSPECTOR]))

    @app.post("/decide")
    async def decide(who: Principal = Depends(rule)):
        return {"id": who.id}

    return app


def token(role: str, jur: str, district: str = "650205", issuer: TokenIssuer = ISSUER, **kw) -> dict[str, str]:
    return {"Authorization": "Bearer " + issuer.mint(sub="u1", name="甲", roles=[role], jurisdiction=jur,
                                                     district=district, **kw)}


async def call(app: FastAPI, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        return await client.post("/decide", headers=headers)


@pytest.mark.parametrize("headers, status, text", [
    ({}, 401, "bearer token is required"),
    ({"Authorization": "Bearer nonsense"}, 401, "invalid token"),
    (token("leader", "650205001"), 200, ""),
    (token("clerk", "650205001"), 403, "allowed: leader"),
    (token("leader", "650205100"), 403, "serves jurisdiction 650205001"),
    (token("bureau_admin", "650205"), 200, ""),
    (token("leader", "650205"), 403, "at district level may not"),
    (token("leader", "650205001", district="650204"), 403, "belongs to district 650205"),
])
async def test_role_and_jurisdiction_matrix(headers, status, text):
    response = await call(app_for("650205001"), headers)
    assert response.status_code == status, response.text
    assert text in response.text


async def test_a_refusal_at_the_door_says_why_in_chinese_and_names_its_rule():
    role = (await call(app_for("650205001"), token("clerk", "650205001"))).json()
    assert role["rule"] == "乌尔禾区工作方案 四 职责分工"
    assert role["detail"].startswith("街道（乡镇）级的窗口受理不能办理此事项；可办理的：分管领导 / role(s) clerk")
    elsewhere = (await call(app_for("650205001"), token("leader", "650205100"))).json()
    assert elsewhere["rule"].startswith("乌尔禾区工作方案 四(二)")
    assert elsewhere["detail"].startswith("本服务只办理街道（乡镇）650205001 的事项，登录人属于 650205100 / ")
    district = (await call(app_for("650205001"), token("leader", "650205001", district="650204"))).json()
    assert district["rule"] == "一区一套：令牌须由本区签发" and "650204" in district["detail"]


async def test_district_service_refuses_jurisdiction_staff():
    response = await call(app_for(None), token("leader", "650205001"))
    assert response.status_code == 403 and "jurisdiction level may not do this" in response.text
    assert (await call(app_for(None), token("inspector", "650205"))).status_code == 200


async def test_expired_token_is_refused():
    response = await call(app_for("650205001"), token("leader", "650205001", ttl=dt.timedelta(seconds=-5)))
    assert response.status_code == 401 and "expired" in response.text


async def test_a_token_signed_by_another_key_is_refused():
    response = await call(app_for("650205001"), token("leader", "650205001", issuer=OTHER_ISSUER))
    assert response.status_code == 401 and "invalid token" in response.text


async def test_a_token_living_fifty_years_is_refused_though_its_signature_is_good():
    response = await call(app_for("650205001"), token("leader", "650205001", ttl=dt.timedelta(days=365 * 50)))
    assert response.status_code == 401 and "exceeds the maximum" in response.text


@pytest.mark.parametrize("claims, text", [
    ({"iss": "someone-else"}, "Invalid issuer"),
    ({"aud": "another-system"}, "Audience doesn"),
    ({"iss": None}, "iss"),
    ({"aud": None}, "aud"),
])
async def test_issuer_and_audience_must_be_the_districts(claims, text):
    now = dt.datetime.now(dt.UTC)
    body = {"sub": "u1", "name": "甲", "roles": ["leader"], "jur": "650205001", "dst": "650205",
            "iss": ISSUER.issuer, "aud": ISSUER.audience, "iat": now, "exp": now + dt.timedelta(hours=1)}
    body = {k: v for k, v in (body | claims).items() if v is not None}
    forged = jwt.encode(body, ISSUER._key, algorithm="EdDSA")
    response = await call(app_for("650205001"), {"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401 and text in response.text, response.text


async def test_a_shared_secret_token_made_with_the_public_key_is_refused():
    """The classic key-confusion forgery: HS256 keyed with the (public) verification key."""
    now = dt.datetime.now(dt.UTC)
    body = {"sub": "x", "roles": ["leader"], "jur": "650205001", "dst": "650205", "iss": ISSUER.issuer,
            "aud": ISSUER.audience, "iat": now, "exp": now + dt.timedelta(hours=1)}
    forged = jwt.api_jws.PyJWS().encode(jwt.utils.force_bytes(__import__("json").dumps(body, default=str)),
                                         b"k" * 32, algorithm="HS256")
    response = await call(app_for("650205001"), {"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_a_shared_secret_algorithm_cannot_be_configured():
    with pytest.raises(ValueError, match="not asymmetric"):
        TokenVerifier(public_key=ISSUER.public_pem(), algorithms=["HS256"])


async def test_a_token_verified_once_is_not_verified_again_until_it_expires(monkeypatch):
    """The verification is remembered for the token's life, and not a moment longer."""
    import asyncio
    import time

    verifier = TokenVerifier(public_key=ISSUER.public_pem())
    decoded = []
    real_decode = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **kw: decoded.append(1) or real_decode(*a, **kw))
    # a token living 4 seconds (whole seconds: it expires 3–4 s from now, time enough on a busy machine)
    bearer = ISSUER.mint(sub="u1", name="甲", roles=["leader"], jurisdiction="650205001", district="650205",
                         ttl=dt.timedelta(seconds=4))
    expires = jwt.decode(bearer, options={"verify_signature": False})["exp"]
    decoded.clear()
    assert verifier.verify(bearer).id == verifier.verify(bearer).id == "u1"
    assert len(decoded) == 1  # the second use was remembered
    while time.time() < expires:  # until the token's own expiry has passed
        await asyncio.sleep(0.1)
    with pytest.raises(Exception) as refused:
        verifier.verify(bearer)
    assert getattr(refused.value, "status_code", None) == 401 and "expired" in str(refused.value.detail)
    forged = bearer[:-4] + ("AAAA" if not bearer.endswith("AAAA") else "BBBB")
    with pytest.raises(Exception) as refused:  # another string is verified afresh, not taken for a known one
        verifier.verify(forged)
    assert getattr(refused.value, "status_code", None) == 401
