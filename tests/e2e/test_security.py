"""Trust, on the real processes: only the right service can say what happened.

* nobody connects to NATS without credentials;
* a service's own credentials cannot publish another service's event type, nor on another
  jurisdiction's subject;
* a forged envelope that reaches the stream anyway (published with the operator's rights) is
  dead-lettered by every consumer with its reason, raised as a security alert in oversight, and
  changes no register, roster, public list or audit trail;
* a stream message cannot be deleted, nor the stream purged;
* a service cannot create a consumer, nor re-point its own: the operator provisions them.
"""

import datetime as dt

import nats
import pytest

from jiuzhu_contracts import encode
from jiuzhu_contracts.consumers import district_consumers
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import CaseApproved
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.subjects import event_subject, events_stream

from .steps import J1, J2

CONSUMERS_OF_J1 = sorted(["intake-650205001", "verification-650205001", "publicity-650205001",
                          "decision-650205001", "oversight-650205001", "disbursement"])


@pytest.fixture
def secured(infrastructure):
    if not infrastructure.nats_secured:
        pytest.skip("NATS_URL names the operator's own server: its users are not the generated ones")


async def test_an_unauthenticated_client_cannot_connect(district, secured):
    with pytest.raises(Exception) as refused:
        await nats.connect(district.nats_url, allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=3)
    assert "Authorization Violation" in str(refused.value)


async def test_a_service_may_publish_only_its_own_event_types_on_its_own_subjects(district, secured):
    violations: list[str] = []

    async def on_error(exc):
        violations.append(str(exc))

    creds = district.credentials
    seed = creds.nats_seed_file("intake-650205001").read_text().strip()
    prefix = district.stack.bus_prefix
    nc = await nats.connect(district.nats_url, nkeys_seed_str=seed, inbox_prefix=b"_INBOX_intake-650205001",
                            error_cb=on_error)
    operator = await district.connect()
    try:
        js = nc.jetstream()
        stream = events_stream(prefix)
        forbidden = [event_subject(district.code, J1, "case_approved", prefix),  # another service's event type
                     event_subject(district.code, J2, "application_accepted", prefix)]  # another jurisdiction
        async def last_on(subject):
            try:
                return (await operator.jetstream().get_last_msg(stream, subject)).seq
            except Exception:  # nothing on that subject yet
                return None
        before = {subject: await last_on(subject) for subject in forbidden}
        for subject in forbidden:
            with pytest.raises(Exception):
                await js.publish(subject, b"{}", stream=stream, timeout=2)
        # and no stream administration either
        with pytest.raises(Exception):
            await js.delete_stream(stream)
        for subject in forbidden:
            assert any(f'publish to "{subject}"' in v for v in violations), violations
        # nothing arrived on those subjects (no genuine approval is made meanwhile in this test)
        assert {subject: await last_on(subject) for subject in forbidden} == before
    finally:
        await nc.close()
        await operator.close()


async def test_a_forged_approval_is_refused_by_every_consumer_raised_and_changes_nothing(district, walker, secured):
    """The attack found: a hand-made case_approved, 9,999,900 fen a month to a new account."""
    approved = next(e for e in EXAMPLES if isinstance(e, CaseApproved))
    case_id = f"{J1}-2022-98765"
    payload = approved.model_copy(update={"amount_fen": 9_999_900, "public_name": "伪造户",
                                          "payment_account": "6222 0000 0000 0000 666"})
    prefix = district.stack.bus_prefix
    subject = event_subject(district.code, J1, "case_approved", prefix)
    forged = Envelope.wrap(payload, district=district.code, jurisdiction=J1, case_id=case_id,
                           actor=Actor(id="leader-x", role="leader", name="某领导"),
                           occurred_at=dt.datetime(2022, 5, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    body = encode(forged)
    nc = await district.connect()  # the operator's rights: the message does reach the stream
    try:
        js = nc.jetstream()
        await js.publish(subject, body, stream=events_stream(prefix))  # unsigned
        impostor = district.credentials.signer("publicity-650205001")  # genuinely signed, by the wrong service
        await js.publish(subject, body, headers=impostor.headers(subject, body), stream=events_stream(prefix))
    finally:
        await nc.close()

    async def raised():
        alerts = (await walker.call("GET", "oversight", None, "/security-alerts", role="inspector")).json()
        mine = [a for a in alerts if a["claimed_case_id"] == case_id]
        return len(mine) == 2 and all(a["refused_by"] == CONSUMERS_OF_J1 for a in mine) and mine
    try:
        alerts = await walker.until(raised, timeout=60)
    except Exception:
        raise AssertionError(f"not every consumer refused both forgeries: "
                             f"{(await walker.call('GET', 'oversight', None, '/security-alerts', role='inspector')).json()}")
    reasons = sorted(a["reason"] for a in alerts)
    assert "publicity-650205001 (publicity) may not produce case_approved" in reasons[0]
    assert "unsigned message" in reasons[1]
    # each stage records what it refused, too
    stuck = (await walker.call("GET", "decision", J1, "/consumer/dead-letters", role="leader",
                               params={"case_id": case_id})).json()
    assert len(stuck) == 2 and all(s["reason"].startswith("security: ") for s in stuck)

    # Nothing changed: no register row, no recipient (so no roster line), nothing public, no audit entry.
    register = await walker.call("GET", "oversight", None, f"/cases/{case_id}", role="inspector", expect=(200, 404))
    assert register.status_code == 404
    recipients = (await walker.call("GET", "disbursement", None, "/recipients", role="bureau_admin",
                                    params={"jurisdiction": J1})).json()
    assert all(r["case_id"] != case_id for r in recipients)
    listed = (await walker.client.get(walker.url("publicity", J1) + "/public/list")).text
    assert "伪造户" not in listed
    trail = (await walker.call("GET", "oversight", None, f"/audit/cases/{case_id}", role="auditor")).json()
    assert trail == []
    decision = await walker.call("GET", "decision", J1, f"/cases/{case_id}", role="leader", expect=(200, 404))
    assert decision.status_code == 404


async def test_a_stream_message_cannot_be_deleted_nor_the_stream_purged(district):
    nc = await district.connect()  # even the operator
    try:
        js = nc.jetstream()
        stream = events_stream(district.stack.bus_prefix)
        info = await js.stream_info(stream)
        assert info.config.deny_delete and info.config.deny_purge
        with pytest.raises(Exception, match="message delete not permitted"):
            await js.delete_msg(stream, info.state.first_seq)
        with pytest.raises(Exception, match="purge not permitted"):
            await js.purge_stream(stream)
        still = await js.get_msg(stream, info.state.first_seq)  # the message is still there
        assert still.seq == info.state.first_seq
    finally:
        await nc.close()


async def _as(district, user_or_instance: str, errors: list):
    creds = district.credentials
    path = (creds.user_seed_file(user_or_instance) if user_or_instance in ("operator", "integrator", "check-centre")
            else creds.nats_seed_file(user_or_instance))

    async def on_error(exc):
        errors.append(str(exc))
    return await nats.connect(district.nats_url, nkeys_seed_str=path.read_text().strip(), error_cb=on_error,
                              inbox_prefix=f"_INBOX_{user_or_instance}".encode())


@pytest.mark.parametrize("who", ["integrator", "oversight"])
async def test_no_one_may_redefine_or_drain_a_services_consumer(district, secured, who):
    """Found by the attacker review: the integrator (and oversight's stream readers) could create "any"
    consumer — i.e. redefine verification's own (same name, another filter) or pull and ack its events."""
    from nats.js.api import AckPolicy, ConsumerConfig

    errors: list[str] = []
    nc = await _as(district, who, errors)
    prefix = district.stack.bus_prefix
    stream = events_stream(prefix)
    victim = "verification-650205001"
    try:
        js = nc.jetstream()
        hijack = ConsumerConfig(name=victim, durable_name=victim, ack_policy=AckPolicy.EXPLICIT,
                                filter_subject=f"{prefix}.evt.{district.code}.{J1}.never")
        with pytest.raises(Exception):
            await js.add_consumer(stream, hijack, timeout=2)
        with pytest.raises(Exception):
            await nc.request(f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{victim}", b'{"batch": 1}', timeout=2)
        assert any("permissions violation" in e for e in errors), errors
    finally:
        await nc.close()
    await _as_provisioned(district, victim)  # untouched


async def _as_provisioned(district, name: str) -> None:
    """The consumer ``name`` is as the operator provisioned it (jiuzhu_contracts.consumers)."""
    prefix = district.stack.bus_prefix
    [provisioned] = [c for c in district_consumers(district.code, [j.code for j in district.stack.config.jurisdictions],
                                                   prefix) if c.durable == name]
    operator = await district.connect()
    try:
        config = (await operator.jetstream().consumer_info(provisioned.stream, name)).config
    finally:
        await operator.close()
    assert tuple(config.filter_subjects or (config.filter_subject,)) == provisioned.filter_subjects


@pytest.mark.parametrize("own", ["verification-650205001", "oversight-650205001"])
async def test_a_service_can_neither_create_nor_re_point_a_consumer(district, secured, own):
    """The operator provisions every consumer with its filter; a service only fetches from and acks its
    own. A compromised jurisdiction instance cannot re-point its consumer at the whole district (other
    jurisdictions' households), nor make itself another one: the server refuses every create."""
    from nats.js.api import AckPolicy, ConsumerConfig

    errors: list[str] = []
    instance = own if not own.startswith("oversight") else "oversight"
    nc = await _as(district, instance, errors)
    prefix = district.stack.bus_prefix
    stream = events_stream(prefix)
    everything = f"{prefix}.evt.{district.code}.>"
    attempts = [ConsumerConfig(name=own, durable_name=own, ack_policy=AckPolicy.EXPLICIT, filter_subject=everything),
                ConsumerConfig(name=own, durable_name=own, ack_policy=AckPolicy.EXPLICIT,
                               filter_subjects=[everything, f"{prefix}.evt.{district.code}.{J1}.case_approved"]),
                ConsumerConfig(name=f"{own}-mine", durable_name=f"{own}-mine", ack_policy=AckPolicy.EXPLICIT,
                               filter_subject=f"{prefix}.evt.{district.code}.{J1}.case_approved"),
                ConsumerConfig(durable_name=f"{own}-old-api", ack_policy=AckPolicy.EXPLICIT, filter_subject=everything)]
    try:
        js = nc.jetstream()
        for config in attempts:
            with pytest.raises(Exception):
                await js.add_consumer(stream, config, timeout=2)
        assert sum("permissions violation" in e for e in errors) >= len(attempts), errors
        await js.consumer_info(stream, own)  # what it may do: read its own consumer's information
    finally:
        await nc.close()
    await _as_provisioned(district, own)
    operator = await district.connect()
    try:
        names = [c.name for c in await operator.jetstream().consumers_info(stream)]
    finally:
        await operator.close()
    assert not any(n.startswith(f"{own}-mine") or n.startswith(f"{own}-old-api") for n in names), names


async def test_the_integrator_reads_through_its_own_consumer_only(district, secured):
    errors: list[str] = []
    nc = await _as(district, "integrator", errors)
    prefix = district.stack.bus_prefix
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe(f"{prefix}.evt.{district.code}.>", durable="integrator",
                                      stream=events_stream(prefix))
        [first] = await sub.fetch(1, timeout=5)
        await first.ack()
        assert first.subject.startswith(f"{prefix}.evt.{district.code}.")
        with pytest.raises(Exception):  # and publishes nothing
            await js.publish(event_subject(district.code, J1, "case_approved", prefix), b"{}", timeout=2)
        await sub.unsubscribe()
        await js.delete_consumer(events_stream(prefix), "integrator")  # its own, and only its own
    finally:
        await nc.close()


async def test_a_dead_letter_names_the_consumer_that_published_it_whatever_its_headers_say(district, walker, secured):
    """A service may publish dead letters only on its own subject; oversight reads the consumer from
    the subject, not from the headers — so it cannot pin a refusal (or a stranded case) on another."""
    errors: list[str] = []
    prefix = district.stack.bus_prefix
    nc = await _as(district, "publicity-650205001", errors)
    try:
        await nc.jetstream().publish(f"{prefix}.dlq.{district.code}.publicity-650205001", b'{"case_id": "x-1"}',
                                     headers={"Jz-Consumer": "disbursement", "Jz-Original-Seq": "999999",
                                              "Jz-Dead-Letter-Reason": "security: made up",
                                              "Jz-Original-Subject": f"{prefix}.evt.{district.code}.{J1}.case_approved"},
                                     timeout=5)
    finally:
        await nc.close()

    async def recorded():
        alerts = (await walker.call("GET", "oversight", None, "/security-alerts", role="inspector")).json()
        return next((a for a in alerts if a["original_seq"] == 999999), None)
    alert = await walker.until(recorded, timeout=30)
    assert alert["refused_by"] == ["publicity-650205001"]
    assert "claiming to be disbursement" in alert["reason"]


async def test_each_service_connects_as_a_role_that_owns_its_database_and_nothing_else(district, infrastructure):
    """Found by the attacker review: every service was the superuser, and the embedded server trusted
    anyone on the loopback port — a row inserted into disbursement's register went on the roster."""
    import asyncpg
    from urllib.parse import urlsplit, urlunsplit

    mine = district.stack.instance("decision", J1).env["JZ_DATABASE_URL"]
    parts = urlsplit(mine)
    assert parts.username == district.stack.instance("decision", J1).database != "postgres"
    conn = await asyncpg.connect(mine)
    try:
        assert not await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    finally:
        await conn.close()
    disbursement = district.stack.instance("disbursement").database
    with pytest.raises(asyncpg.InsufficientPrivilegeError):  # CONNECT revoked from everyone but its owner
        await asyncpg.connect(urlunsplit(parts._replace(path=f"/{disbursement}")))
    if infrastructure.postgres is not None:  # the embedded server: nobody gets in without a password
        with pytest.raises(asyncpg.InvalidPasswordError):
            await asyncpg.connect(urlunsplit(parts._replace(netloc=f"postgres@{parts.hostname}:{parts.port}",
                                                            path="/postgres")))
