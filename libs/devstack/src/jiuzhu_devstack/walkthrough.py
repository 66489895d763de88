"""Drives cases through a running district by its public HTTP APIs, as its staff would — used by
the end-to-end scenarios and the benchmark. Each step is one request; ``wait_*`` poll read APIs
(wall time), never the business calendar."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass, field

import httpx

from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_runtime.auth import TokenIssuer


class StepFailed(AssertionError):
    pass


@dataclass
class Walker:
    urls: dict[tuple[str, str | None], str]  # (service, jurisdiction) → base URL
    issuer: TokenIssuer  # the development identity provider (credentials.issuer())
    district: str
    client: httpx.AsyncClient = field(default_factory=lambda: httpx.AsyncClient(timeout=30))
    poll_every: float = 0.1  # how often a waiting step looks again (the benchmark uses a staff-like 1 s)
    _tokens: dict = field(default_factory=dict)

    def headers(self, role: str, jurisdiction: str | None = None, who: str | None = None, name: str = "测试") -> dict:
        jur = jurisdiction or self.district
        key = (role, jur, who)
        if key not in self._tokens:
            self._tokens[key] = {"Authorization": "Bearer " + self.issuer.mint(
                sub=who or f"{role}-{jur}", name=name, roles=[role], jurisdiction=jur, district=self.district)}
        return self._tokens[key]

    def url(self, service: str, jurisdiction: str | None = None) -> str:
        return self.urls[(service, jurisdiction)]

    async def call(self, method: str, service: str, jurisdiction: str | None, path: str, *, role: str,
                   as_jurisdiction: str | None = None, who: str | None = None, expect: int | tuple = (200, 201),
                   **kwargs) -> httpx.Response:
        headers = self.headers(role, as_jurisdiction if as_jurisdiction is not None else jurisdiction, who)
        url = self.url(service, jurisdiction) + path
        try:
            response = await self.client.request(method, url, headers=headers, **kwargs)
        except (httpx.RemoteProtocolError, httpx.ConnectError):
            if method != "GET":
                raise  # a command may have been applied; never send it twice blindly
            response = await self.client.request(method, url, headers=headers, **kwargs)
        expected = (expect,) if isinstance(expect, int) else expect
        if response.status_code not in expected:
            raise StepFailed(f"{method} {service}{path} → {response.status_code}: {response.text[:500]}")
        return response

    async def until(self, check, timeout: float = 120.0, every: float | None = None):
        every = self.poll_every if every is None else every
        deadline = time.monotonic() + timeout
        while True:
            value = await check()
            if value:
                return value
            if time.monotonic() > deadline:
                raise StepFailed(f"condition not met within {timeout}s")
            await asyncio.sleep(every)

    # --- the window ----------------------------------------------------------------------------
    @staticmethod
    def household(seq: int, *, members: int = 2, born: str = "19800101") -> list[dict]:
        """A household of synthetic people; ``seq`` keeps households apart (up to 999 × 999)."""
        area = f"65{seq // 1000 % 10000:04d}"
        out = [{"name": f"申请人{seq}", "id_number": synthetic_id(area, born, f"{seq % 1000:03d}"), "relation": "self"}]
        for i in range(1, members):
            out.append({"name": f"家属{seq}-{i}", "id_number": synthetic_id(area, f"20{i:02d}0101", f"{seq % 1000:03d}"),
                        "relation": "child", "in_school": False})
        return out

    async def apply(self, jurisdiction: str, members: list[dict], *, committee: str, category: str = "dibao",
                    income_fen: int = 50000, materials: list[str] | None = None, expect=201) -> dict:
        body = {"category": category, "area": "urban", "registration_jurisdiction": jurisdiction, "address": "测试路1号",
                "committee": committee, "members": members, "declared_monthly_income_fen": income_fen,
                "declared_assets_fen": 0, "payment_account": "6222020000000001", "contact_phone": "13912345678",
                "reason": "生活困难", "consent_signed": True,
                "materials": [{"code": c} for c in (materials if materials is not None else
                                                    ["application_form", "id_cards", "household_register",
                                                     "income_proof"])]}
        if category == "temporary":  # L18 §1(二): the application states its kind
            body["temporary_kind"] = "emergency"
        return (await self.call("POST", "intake", jurisdiction, "/applications", role="clerk", json=body,
                                expect=expect)).json()

    # --- investigation and review ------------------------------------------------------------
    async def wait_task(self, jurisdiction: str, case_id: str) -> dict:
        async def check():
            r = await self.call("GET", "verification", jurisdiction, f"/cases/{case_id}", role="investigator",
                                expect=(200, 404))
            return r.json() if r.status_code == 200 else None
        return await self.until(check)

    async def investigate(self, jurisdiction: str, case_id: str, members: list[dict], visited_on: dt.date, *,
                          income_fen: int = 50000, who: str = "inv-a", wait: bool = True) -> dict:
        """The home visit and the household data; ``wait=False``: the caller knows the task is open."""
        if wait:
            await self.wait_task(jurisdiction, case_id)
        await self.call("POST", "verification", jurisdiction, f"/cases/{case_id}/home-visit", role="investigator",
                        who=who, json={"visited_on": visited_on.isoformat(), "partner": {"id": "inv-b", "name": "李调查"},
                                       "living_conditions": "租住单间", "findings": "与申报一致", "household_signed": True})
        data = await self.call("POST", "verification", jurisdiction, f"/cases/{case_id}/household",
                               role="investigator", who=who,
                               json={"members": members, "incomes": [{"kind": "wages", "monthly_fen": income_fen}],
                                     "assets": []})
        return data.json()

    async def wait_report(self, jurisdiction: str, case_id: str) -> dict:
        async def check():
            r = await self.call("GET", "verification", jurisdiction, f"/cases/{case_id}", role="investigator")
            return r.json() if r.json().get("check_report") else None
        return await self.until(check)

    async def review(self, jurisdiction: str, case_id: str, *, eligible: bool | None = None) -> dict:
        computed = (await self.call("GET", "verification", jurisdiction, f"/cases/{case_id}/computation",
                                    role="reviewer", who="rev-1")).json()
        opinion = {"eligible": computed["eligible"], "proposed_amount_fen": computed["amount_fen"]}
        if eligible is not None and eligible != computed["eligible"]:
            opinion = {"eligible": eligible, "proposed_amount_fen": 0 if not eligible else computed["amount_fen"],
                       "override_reason": "经民主评议及入户核实"}
        await self.call("POST", "verification", jurisdiction, f"/cases/{case_id}/review", role="reviewer",
                        who="rev-1", json=opinion)
        return computed

    # --- publicity and decision --------------------------------------------------------------
    async def wait_decision_state(self, jurisdiction: str, case_id: str, predicate, timeout: float = 120) -> dict:
        last: list = [None]

        async def check():
            r = await self.call("GET", "decision", jurisdiction, f"/cases/{case_id}", role="leader", expect=(200, 404))
            last[0] = r.json()
            return r.json() if r.status_code == 200 and predicate(r.json()) else None
        try:
            return await self.until(check, timeout)
        except StepFailed as exc:
            raise StepFailed(f"{exc}; decision service's view of {case_id}: {last[0]}") from None

    async def decide(self, jurisdiction: str, case_id: str, *, approve: bool = True, reasons=(),
                     by_bureau: bool = False, expect=200) -> httpx.Response:
        role, as_jur = ("bureau_admin", self.district) if by_bureau else ("leader", jurisdiction)
        return await self.call("POST", "decision", jurisdiction, f"/cases/{case_id}/decision", role=role,
                               as_jurisdiction=as_jur, who="lead-1" if not by_bureau else "bureau-1",
                               json={"approve": approve, "reasons": list(reasons)}, expect=expect)
