import httpx
import pytest
from fastapi import Depends, FastAPI

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.auth import AccessPolicy, Principal, TokenVerifier, mint_token

SECRET = "test-secret-of-at-least-32-bytes-length"


def app_for(jurisdiction: str | None) -> FastAPI:
    policy = AccessPolicy(TokenVerifier(secret=SECRET, public_key=None, algorithms=["HS256"]), "650205", jurisdiction)
    app = FastAPI()
    rule = (policy.allow(Role.LEADER, district=[Role.BUREAU_ADMIN]) if jurisdiction
            else policy.allow(district=[Role.INSPECTOR]))

    @app.post("/decide")
    async def decide(who: Principal = Depends(rule)):
        return {"id": who.id}

    return app


def token(role: str, jur: str, district: str = "650205") -> dict[str, str]:
    return {"Authorization": "Bearer " + mint_token(SECRET, sub="u1", name="甲", roles=[role], jurisdiction=jur,
                                                    district=district)}


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


async def test_district_service_refuses_jurisdiction_staff():
    response = await call(app_for(None), token("leader", "650205001"))
    assert response.status_code == 403 and "jurisdiction level may not do this" in response.text
    assert (await call(app_for(None), token("inspector", "650205"))).status_code == 200


async def test_expired_token_is_refused():
    import datetime as dt

    expired = mint_token(SECRET, sub="u", name="n", roles=["leader"], jurisdiction="650205001", district="650205",
                         ttl=dt.timedelta(seconds=-5))
    response = await call(app_for("650205001"), {"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and "expired" in response.text
