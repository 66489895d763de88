"""Simulator of the economic-status check centre (居民家庭经济状况核对中心), for development and tests.

The real check centre is an external system; this is the only fake in the project. It reads
``economic_check_requested`` from the bus as the NATS user ``check-centre`` (its durable consumer,
nothing else), checks that each request is signed by the jurisdiction's verification service, looks
the members up in a JSON data file, and delivers a report through the verification API with its own
``check_centre`` token — the same path the real centre uses.

It never acknowledges what it did not do: a delivered report is acknowledged; a refused credential
(401/403) makes it fetch a new token and try again; a server or network failure is retried with
back-off; a report the API refuses for good (404, 409, 422: the request is unknown, closed or the
report invalid) and a request that is not authentic are dead-lettered with the reason, where
oversight shows them — never dropped.

Data file: {"<id number>": {"monthly_income_fen": 0, "countable_assets_fen": 0, "findings": "…"}}.
Members not in the file have no records (zero income and assets).

    python -m jiuzhu_verification.check_centre_simulator   (settings from JZ_SIM_* variables)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import httpx

from jiuzhu_contracts import ContractError, decode
from jiuzhu_contracts.subjects import dead_letter_stream, dead_letter_subject, event_type_events, events_stream
from jiuzhu_runtime.consumer import SECURITY, dead_letter_headers
from jiuzhu_runtime.envelope_signatures import EnvelopeVerifier, Forged
from jiuzhu_runtime.pull_loop import PullLoop

log = logging.getLogger(__name__)


class TokenSource:
    """The centre's API credential: a token from the identity provider, fetched again before it
    expires and whenever the API refuses it (``invalidate``). ``mint`` stands for the identity
    provider's client-credentials grant."""

    def __init__(self, mint: Callable[[], str], lifetime: dt.timedelta = dt.timedelta(hours=1),
                 renew_before: dt.timedelta = dt.timedelta(minutes=5)):
        self._mint, self._lifetime, self._renew_before = mint, lifetime, renew_before
        self._token: str | None = None
        self._until = dt.datetime.min.replace(tzinfo=dt.UTC)
        self.fetched = 0

    def token(self) -> str:
        now = dt.datetime.now(dt.UTC)
        if self._token is None or now >= self._until - self._renew_before:
            self._token, self._until = self._mint(), now + self._lifetime
            self.fetched += 1
        return self._token

    def invalidate(self) -> None:
        self._token = None


class Refused(Exception):
    """The API refused the report for good: dead-letter the request with this reason."""


class CredentialRefused(Exception):
    """401/403: fetch a new token and try again."""


class CheckCentreSimulator:
    def __init__(self, records: dict[str, dict], urls: dict[str, str], tokens: TokenSource):
        self.records, self.urls, self.tokens = records, urls, tokens
        self.answered = 0
        self.dead_lettered = 0

    @classmethod
    def from_file(cls, path: Path, urls: dict[str, str], tokens: TokenSource) -> "CheckCentreSimulator":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")), urls, tokens)

    def report_for(self, env) -> dict:
        found = [self.records.get(n, {}) for n in env.payload.member_id_numbers]
        findings = "；".join(r["findings"] for r in found if r.get("findings")) or "未发现登记的收入和财产"
        return {"report_no": f"SIM-{env.payload.request_id}", "reported_on": env.payload.requested_on.isoformat(),
                "monthly_income_fen": sum(r.get("monthly_income_fen", 0) for r in found),
                "countable_assets_fen": sum(r.get("countable_assets_fen", 0) for r in found),
                "findings": findings}

    async def answer(self, env, client: httpx.AsyncClient) -> None:
        base = self.urls.get(env.jurisdiction)
        if base is None:
            raise Refused(f"no verification service known for jurisdiction {env.jurisdiction}")
        response = await client.post(f"{base}/economic-checks/{env.payload.request_id}/report",
                                     json=self.report_for(env),
                                     headers={"Authorization": f"Bearer {self.tokens.token()}"})
        if response.status_code in (401, 403):
            self.tokens.invalidate()
            raise CredentialRefused(f"verification answered {response.status_code}: {response.text[:200]}")
        if response.status_code >= 500:
            raise RuntimeError(f"verification answered {response.status_code}")
        if response.status_code >= 400:
            raise Refused(f"verification refused the report ({response.status_code}): {response.text[:500]}")
        self.answered += 1

    async def run(self, nats_url: str, prefix: str, district: str, *, connect_options: dict,
                  verifier: EnvelopeVerifier, client: httpx.AsyncClient | None = None) -> None:
        import nats

        from jiuzhu_runtime.settings import nats_servers

        nc = await nats.connect(nats_servers(nats_url), max_reconnect_attempts=-1, inbox_prefix=b"_INBOX_check-centre",
                                **connect_options)
        js = nc.jetstream()
        durable = f"check-centre-{district}"
        own = client is None
        client = client or httpx.AsyncClient(timeout=10)

        async def dead_letter(msg, reason: str) -> None:
            await js.publish(dead_letter_subject(district, durable, prefix), msg.data, stream=dead_letter_stream(prefix),
                             headers=dead_letter_headers(durable, msg, reason))
            self.dead_lettered += 1
            await msg.term()

        async def on_message(msg) -> None:
            try:
                env = decode(msg.data)
                verifier.check(msg.subject, msg.headers, msg.data, env)
            except ContractError as exc:
                return await dead_letter(msg, f"contract: {exc}")
            except Forged as exc:
                return await dead_letter(msg, f"{SECURITY}{exc}")
            try:
                await self.answer(env, client)
            except Refused as exc:
                log.error("check centre: %s", exc)
                return await dead_letter(msg, f"unprocessable: {exc}")
            except Exception as exc:  # credential, server or network: keep the request, try again
                delivered = msg.metadata.num_delivered if msg.metadata else 1
                log.warning("check centre: %s; will retry", exc)
                return await msg.nak(delay=min(0.25 * 2 ** delivered, 30.0))
            await msg.ack()

        loop = PullLoop(stream=events_stream(prefix), durable=durable, on_message=on_message,
                        filter_subject=event_type_events("economic_check_requested", district, prefix))
        await loop.start(js)
        try:
            await asyncio.Event().wait()
        finally:
            await loop.stop()
            if own:
                await client.aclose()
            await nc.close()


def main() -> None:
    from jiuzhu_runtime.auth import TokenIssuer
    from jiuzhu_runtime.trust import load_trust

    logging.basicConfig(level=logging.INFO)
    district = os.environ["JZ_SIM_DISTRICT"]
    prefix = os.environ.get("JZ_BUS_PREFIX", "jiuzhu")
    urls = json.loads(os.environ["JZ_SIM_VERIFICATION_URLS"])
    issuer = TokenIssuer.from_file(os.environ["JZ_SIM_ISSUER_KEY_FILE"])
    tokens = TokenSource(lambda: issuer.mint(sub="check-centre", name="核对中心（模拟）", roles=["check_centre"],
                                             jurisdiction=district, district=district, ttl=dt.timedelta(hours=1)))
    sim = CheckCentreSimulator.from_file(Path(os.environ["JZ_SIM_DATA"]), urls, tokens)
    verifier = EnvelopeVerifier(load_trust(os.environ["JZ_SIM_TRUST_FILE"]), prefix)
    seed = Path(os.environ["JZ_SIM_NATS_NKEY_FILE"]).read_text().strip()
    asyncio.run(sim.run(os.environ["JZ_NATS_URL"], prefix, district, connect_options={"nkeys_seed_str": seed},
                        verifier=verifier))


if __name__ == "__main__":
    main()
