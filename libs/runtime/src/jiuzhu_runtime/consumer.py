"""Idempotent JetStream consumers with an explicit ack policy (STYLE 5, 6).

* Authentic? Signed, by an instance in the district's trust file, over these bytes and this subject;
  then, once parsed, by an instance of the event type's producer for the envelope's jurisdiction
  (``envelope_signatures``). If not: dead-lettered at once with a reason starting ``security:``,
  nothing applied; oversight raises it as a security alert.
* Parse → known contract? If not (malformed JSON, unknown type, newer version, invalid fields):
  dead-letter at once with the reason. It can never succeed, so retrying would only hide it.
* Handle a fetched batch in one unit of work that first claims ``(consumer, event_id)`` of each
  event; a redelivery finds its key taken and changes nothing. The same event published again as
  a new message (beyond JetStream's duplicate window) also changes nothing, and is dead-lettered
  with the reason "duplicate" so that operators see it was sent twice. The cases the batch names are
  locked and loaded together and written together at the commit (``case_store``). If any event
  fails, the batch is applied again one event per savepoint. Acks are sent only after the commit.
* A handler that fails is never acked: it is nak'ed with exponential back-off, and after
  ``max_deliver`` failures of its own it is dead-lettered with the last error as the reason. A
  failure because the database is away (connection refused or lost, the server shutting down or
  read-only after a failover) is not the message's: it waits and is tried again, however long the
  outage, and does not count.
* ``Unprocessable`` from a handler is a permanent rejection: dead-lettered at once.
* Dead letters go to ``<prefix>.dlq.<district>.<consumer>``; oversight records them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_contracts import ContractError, Envelope, decode
from jiuzhu_contracts.subjects import dead_letter_stream, dead_letter_subject, events_stream
from jiuzhu_runtime import case_trace
from jiuzhu_runtime.db import dead_lettered
from jiuzhu_runtime.errors import database_unreachable
from jiuzhu_runtime.envelope_signatures import SIGNER, EnvelopeVerifier, Forged
from jiuzhu_runtime.pull_loop import PullLoop, consumer_span
from jiuzhu_runtime.unit_of_work import HANDLING_AN_EVENT, UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[Envelope[Any], UnitOfWork], Awaitable[None]]

DEAD_LETTER_REASON = "Jz-Dead-Letter-Reason"
SECURITY = "security: "  # a dead letter's reason that oversight raises as a security alert


class Unprocessable(Exception):
    """A handler's verdict that this event can never be applied here (dead-letter it now)."""


class NotYet(Exception):
    """An earlier event this one depends on has not been applied yet (it is being retried, so this
    one overtook it). Retried with back-off like any failure — never silently skipped."""


def is_duplicate(msg) -> bool:
    """An event this consumer already applied arriving as a *new* stream message (first delivery):
    it was published twice, beyond JetStream's duplicate window. A redelivery of the same message
    (a lost ack, a crash before the ack) is not a duplicate: it is acknowledged quietly."""
    return msg.metadata is not None and msg.metadata.num_delivered == 1


def backoff_seconds(delivered: int) -> float:
    return min(0.25 * 2 ** (delivered - 1), 30.0)


@dataclass
class EventConsumer:
    name: str  # durable consumer name; also the idempotency key's consumer part
    filter_subject: str | Sequence[str]  # a subject, or the subjects of the handled types
    handlers: Mapping[str, Handler]
    unit_of_work: Callable[[], UnitOfWork]
    prefix: str
    district: str
    verifier: EnvelopeVerifier | None = None  # None only where a test says so: ServiceKit always gives one
    max_deliver: int = 5
    ack_wait_seconds: float = 30.0
    processed: int = 0
    dead_lettered: int = 0
    # Failures of each message itself, by stream sequence (the delivery count also counts the
    # redeliveries while the database was away, which must not bring a message nearer its dead letter).
    # In memory: after a restart a message gets its full count of tries again.
    _failures: dict = field(default_factory=dict)
    loop: PullLoop | None = None
    # The idempotency key's consumer part, when several durable consumers share one set of claims
    # (oversight's partitions: an event is on one subject, so one partition ever sees it, and the
    # claims of the one consumer they replace stay valid). Default: the consumer's name.
    claim_as: str | None = None
    # Where the durable consumer begins if it does not exist yet (a stream sequence; None: the first).
    start_seq: Callable[[Any], Awaitable[int | None]] | None = None
    # Bind to a consumer the operator provisioned (a service); else create it (tests, as the operator).
    bind: bool = False

    @property
    def claims(self) -> str:
        return self.claim_as or self.name

    async def start(self, js, tracer=None) -> None:
        """Start consuming, in stream order, with a durable consumer named after this consumer."""
        self._js = js
        self._tracer = tracer
        start = await self.start_seq(js) if self.start_seq else None
        self.loop = PullLoop(stream=events_stream(self.prefix), durable=self.name, filter_subject=self.filter_subject,
                             on_message=None, ack_wait_seconds=self.ack_wait_seconds, tracer=tracer,
                             on_batch=self.handle_batch, start_seq=start, bind=self.bind)
        await self.loop.start(js)

    async def stop(self) -> None:
        if self.loop:
            await self.loop.stop()

    async def handle_batch(self, msgs) -> None:
        """A fetched batch in one transaction: one commit (one fsync) for many events. First all
        together, claims in one statement; if any event fails, the batch is rolled back and applied
        again one event per savepoint, so a failing event is rolled back alone and retried alone.
        Nothing is acknowledged before the commit."""
        work, ignored = [], []
        for msg in msgs:
            try:
                signer = self.verifier.authenticate(msg.subject, msg.headers, msg.data) if self.verifier else None
                env = decode(msg.data)
                if signer is not None:
                    self.verifier.authorise(signer, msg.subject, env)
            except Forged as exc:
                await self._dead_letter(msg, f"{SECURITY}{exc}")
                continue
            except ContractError as exc:
                await self._dead_letter(msg, f"contract: {exc}")
                continue
            handler = self.handlers.get(env.event_type)
            (work.append((msg, env, handler)) if handler else ignored.append(msg))
        ok, failed, unprocessable, duplicates = [], [], [], []
        if work:
            try:
                ok, duplicates = await self._apply_together(work)
            except Exception as exc:
                if len(work) > 1:
                    log.info("%s: a batch of %d failed together (%s); applying one by one", self.name, len(work), exc)
                ok, failed, unprocessable, duplicates = await self._apply_one_by_one(work)
        for msg in ok:
            self.processed += 1
            if self._failures and msg.metadata:
                self._failures.pop(msg.metadata.sequence.stream, None)
            await msg.ack()
        for msg in ignored:
            await msg.ack()
        for msg, env in duplicates:
            await self._dead_letter(msg, f"duplicate: event {env.event_id} was already applied by {self.name}; "
                                         "ignored, nothing changed")
        for msg, exc in unprocessable:
            await self._dead_letter(msg, f"unprocessable: {exc}")
        for msg, env, exc in failed:
            delivered = msg.metadata.num_delivered if msg.metadata else 1
            seq = msg.metadata.sequence.stream if msg.metadata else id(msg)
            if database_unreachable(exc):
                # The database is away (a failover, a restart): not the message's fault. Wait and try
                # again, however long it takes; never dead-letter it for that.
                log.warning("%s: %s waits for the database (delivery %d): %s", self.name, env.event_id, delivered, exc)
                await msg.nak(delay=backoff_seconds(min(delivered, 8)))
                continue
            own = self._failures[seq] = self._failures.get(seq, 0) + 1
            if own >= self.max_deliver:
                self._failures.pop(seq, None)
                log.error("%s: %s failed %d times; dead-lettering", self.name, env.event_id, own)
                await self._dead_letter(msg, f"failed {own} times: {type(exc).__name__}: {exc}")
            else:
                log.warning("%s: %s failed (%d of %d): %s", self.name, env.event_id, own, self.max_deliver, exc)
                await msg.nak(delay=backoff_seconds(own))

    async def _apply_together(self, work):
        """Every event of the batch in one transaction; any failure rolls all of it back (raises).
        Returns the messages to acknowledge and the duplicates (events already applied)."""
        first_met: list[tuple[str, case_trace.Carrier]] = []
        ok, duplicates = [], []
        async with self.unit_of_work() as uow:
            fresh = await uow.claim_many(self.claims, [env.event_id for _, env, _ in work])
            # the cases the batch's new events name: the case store locks and loads them together
            uow.batch_keys = [env.case_id for _, env, _ in work if env.event_id in fresh and env.case_id]
            for msg, env, handler in work:
                if env.event_id in fresh:
                    fresh.discard(env.event_id)  # the same event twice in one batch: apply it once
                    with consumer_span(self._tracer, msg, self.name):
                        await self._apply(env, handler, uow, first_met)
                    ok.append(msg)
                elif is_duplicate(msg):  # the same event published again
                    duplicates.append((msg, env))
                else:  # a redelivery of a message already applied
                    ok.append(msg)
            await case_trace.remember(uow.session, first_met)
        return ok, duplicates

    async def _apply_one_by_one(self, work):
        ok, failed, unprocessable, duplicates = [], [], [], []
        first_met: list[tuple[str, case_trace.Carrier]] = []
        async with self.unit_of_work() as uow:
            uow.batch_keys = [env.case_id for _, env, _ in work if env.case_id]
            for msg, env, handler in work:
                with consumer_span(self._tracer, msg, self.name):
                    savepoint = await uow.session.begin_nested()
                    kept = len(first_met)
                    try:
                        applied = await uow.claim(self.claims, env.event_id)
                        if applied:
                            await self._apply(env, handler, uow, first_met)
                            await uow.flush()  # this event's rows fail (and roll back) with it
                        await savepoint.commit()
                    except Exception as exc:
                        await savepoint.rollback()
                        uow.forget()  # what it remembered may include the rolled-back writes
                        del first_met[kept:]
                        if isinstance(exc, Unprocessable):
                            unprocessable.append((msg, exc))
                        else:
                            failed.append((msg, env, exc))
                        continue
                if applied or not is_duplicate(msg):
                    ok.append(msg)
                else:
                    duplicates.append((msg, env))
            await case_trace.remember(uow.session, first_met)
        return ok, failed, unprocessable, duplicates

    async def _apply(self, env, handler, uow: UnitOfWork, first_met: list) -> None:
        traced = self._tracer is not None and env.case_id is not None  # no spans, no trace to remember
        if traced:
            here = case_trace.carrier_of(case_trace.current())
            uow.case_contexts.setdefault(env.case_id, here)
        handling = HANDLING_AN_EVENT.set(True)
        try:
            await handler(env, uow)
        finally:
            HANDLING_AN_EVENT.reset(handling)
        if traced:
            first_met.append((env.case_id, here))

    async def _dead_letter(self, msg, reason: str) -> None:
        """Recorded here first (the stage shows it), then in the dead-letter stream (oversight raises
        it), then terminated. If either record fails the message is kept and tried again later."""
        seq = msg.metadata.sequence.stream if msg.metadata else 0
        try:
            await self._record_dead_letter(msg, seq, reason)
        except Exception as exc:
            log.error("%s: recording dead letter seq %s failed: %s", self.name, seq, exc)
            await msg.nak(delay=5.0)
            return
        headers = dead_letter_headers(self.name, msg, reason)
        try:
            await self._js.publish(dead_letter_subject(self.district, self.name, self.prefix), msg.data,
                                   headers=headers, stream=dead_letter_stream(self.prefix))
        except Exception as exc:  # cannot record the dead letter: keep the message, try later
            log.error("%s: dead-lettering seq %s failed: %s", self.name, seq, exc)
            await msg.nak(delay=5.0)
            return
        log.error("%s: dead-lettered seq %s: %s", self.name, seq, reason)
        if reason.startswith(SECURITY):
            log.critical("%s: SECURITY: refused message seq %s on %s: %s", self.name, seq, msg.subject, reason)
        self.dead_lettered += 1
        await msg.term()

    async def _record_dead_letter(self, msg, seq: int, reason: str) -> None:
        about = what_it_claims(msg.data)
        async with self.unit_of_work() as uow:
            await uow.session.execute(pg_insert(dead_lettered).values(
                consumer=self.name, stream_seq=seq, subject=msg.subject, reason=reason[:4000], **about)
                .on_conflict_do_nothing())


def dead_letter_headers(consumer: str, msg, reason: str) -> dict[str, str]:
    """What a dead letter says about the message it carries (every reader of the bus that
    dead-letters uses these). No Nats-Msg-Id: JetStream's duplicate window is stream-wide, so a
    predictable id could be claimed beforehand by anyone who may publish dead letters, and this one
    silently dropped; oversight counts a dead letter once per (consumer, original sequence) instead."""
    seq = msg.metadata.sequence.stream if msg.metadata else 0
    signer = (msg.headers or {}).get(SIGNER)
    return {DEAD_LETTER_REASON: reason[:1000], "Jz-Consumer": consumer, "Jz-Original-Subject": msg.subject,
            "Jz-Original-Seq": str(seq), **({"Jz-Original-Signer": signer} if signer else {})}


def what_it_claims(data: bytes) -> dict:
    """Event id, type and case a message claims to be about, read without trusting it (for display:
    which case is affected). Anything unreadable is simply unknown."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return {"event_id": None, "event_type": None, "case_id": None}
    if not isinstance(raw, dict):
        raw = {}
    return {k: (str(raw[k])[:100] if isinstance(raw.get(k), (str, int)) else None)
            for k in ("event_id", "event_type", "case_id")}
