"""One transaction: the state change, the events it causes (outbox) and, for a consumer, the
processed-event key. Commit is all or nothing (STYLE 4, 5).

Rows that nothing in the transaction reads back (the outbox rows, a register's new lines) may be
written *later*: ``insert_later`` collects them and ``flush`` writes them, with the changed cases,
in one round trip when they fit in one statement (``writes``: a ``WITH`` of an ``UPDATE`` and
``INSERT``s), else each table's rows in one statement (asyncpg's executemany), just before the commit
— or earlier, when a consumer applies a batch one event per savepoint, before each savepoint ends,
so that a failing row fails its own event (issue 14: one statement per emit was a third of a
consumer's statements).

The cases of the case store are kept here too (``loaded``: the identity map, by table and key):
a case locked and loaded once in this transaction is not read again, and a changed case (by a
command, or an event of a consumer's batch) is written at ``flush`` with the other changed cases of
its table and the outbox's rows, not at once — so a batch of events on a few cases costs one read and one write per
table, whatever the number of events (issue 14: five or six round trips per event before)."""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from collections.abc import Callable
from typing import Any

from sqlalchemy import ARRAY, Table, Text, bindparam, func, insert, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jiuzhu_contracts import Envelope, encode
from jiuzhu_contracts.subjects import event_subject
from jiuzhu_runtime import case_trace
from jiuzhu_runtime.db import outbox, processed_events
from jiuzhu_runtime.direct import Direct
from jiuzhu_runtime.envelope_signatures import EnvelopeSigner
from jiuzhu_runtime.relay import Committed
from jiuzhu_runtime.writes import Write

log = logging.getLogger("jiuzhu.events")


class UnitOfWork:
    def __init__(self, sessions: async_sessionmaker, prefix: str, wake_relay: asyncio.Event | None = None,
                 tracer=None, signer: EnvelopeSigner | None = None,
                 hand_to_relay: Callable[[list[Committed]], None] | None = None,
                 relay_look_again: Callable[[], None] | None = None):
        """``hand_to_relay``: after the commit, the outbox rows written are handed to the relay, which
        publishes them without reading them back (``OutboxRelay.hand``); rows written ``once`` (they
        may have been there already) are not, and ``relay_look_again`` has the relay read the table.
        Without it, the commit only sets ``wake_relay``."""
        self._sessions = sessions
        self._hand = hand_to_relay
        self._look_again = relay_look_again
        self._signer = signer  # every event this service emits is signed by it (envelope_signatures)
        self._prefix = prefix
        self._wake = wake_relay
        self._tracer = tracer  # given: events about a case continue the case's trace (case_trace)
        self.session: AsyncSession
        self._emitted = 0
        self.case_contexts: dict[str, case_trace.Carrier] = {}
        # What a handler may remember between events of one batch (e.g. the audit chain's head).
        # Valid only while every write since it was filled is kept: ``forget`` after a rollback.
        self.memo: dict[str, Any] = {}
        # (table, skip rows whose key is taken?) → rows written by ``flush``, in the order given
        self._later: dict[tuple[Table, bool], list[dict[str, Any]]] = {}
        self._reset_cases()

    def _reset_cases(self) -> None:
        # The case store's identity map: table → key → the state locked in this transaction
        # (as changed so far). Valid only while every write since it was filled is kept.
        self.loaded: dict[Table, dict[str, Any]] = {}
        # table → (key column, key → the row ``flush`` writes): cases changed but not yet written
        self._changed: dict[Table, tuple[str, dict[str, dict[str, Any]]]] = {}
        # tables whose cases named by the batch (``batch_keys``) were locked and loaded together
        self.batch_read: set[Table] = set()

    async def __aenter__(self) -> "UnitOfWork":
        if HANDLING_AN_EVENT.get():
            raise RuntimeError("an event's handler opened a unit of work of its own: it must change "
                               "nothing but through the consumer's (its commit would outlive the batch's "
                               "rollback, and a redelivery would make it again)")
        self.session = self._sessions()
        self.session.info[UOW] = self  # the case store finds its identity map through the session
        # the fixed statements (claims, the cases' reads and writes, the flush) go by asyncpg itself
        self.direct = Direct(self.session, self._tracer)
        self._reset_cases()
        # The cases a consumer's batch names (its events' case ids): the case store locks and loads
        # them in one statement when the first of them is opened. Empty for a command.
        self.batch_keys: list[str] = []
        await self.session.begin()
        self._emitted = 0
        self._committed: list[tuple[str, str | None, str]] = []
        self._later = {}
        self._written: list[Committed] = []  # outbox rows flushed (kept unless the transaction fails)
        self._unflushed: list[Committed] = []  # … and emitted since the last flush
        self._unhanded = False  # an outbox row that must be looked up, not handed
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                try:
                    await self.flush()
                except BaseException:
                    await self.session.rollback()
                    raise
                await self.session.commit()
                if self._emitted:
                    for event_type, case_id, event_id in self._committed:
                        log.info("committed %s %s (%s)", event_type, case_id or "-", event_id,
                                 extra={"event_type": event_type, "case_id": case_id, "event_id": event_id})
                    if self._hand is not None:
                        if self._written:
                            self._hand(self._written)
                        if self._unhanded and self._look_again is not None:
                            self._look_again()
                    elif self._wake is not None:
                        self._wake.set()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()

    async def emit(self, envelope: Envelope[Any], *, once: bool = False) -> None:
        """Write the event to the outbox inside this transaction. ``once``: an event with a
        deterministic id (e.g. from configuration) that may already be there is not written again."""
        carrier = await self._trace_carrier(envelope)  # the relay's publish continues this trace
        subject = event_subject(envelope.district, envelope.jurisdiction, envelope.event_type, self._prefix)
        body = encode(envelope)
        headers = {**carrier, **self._signer.headers(subject, body)} if self._signer else carrier
        self.insert_later(outbox, {"event_id": envelope.event_id, "subject": subject,
                                   "event_type": envelope.event_type, "case_id": envelope.case_id,
                                   "body": body, "headers": headers}, skip_taken=once)
        if once:
            self._unhanded = True
        else:
            self._unflushed.append(Committed(envelope.event_id, subject, body, headers))
        self._emitted += 1
        self._committed.append((envelope.event_type, envelope.case_id, envelope.event_id))

    async def _trace_carrier(self, envelope: Envelope[Any]) -> case_trace.Carrier:
        here = case_trace.current()
        case_id = envelope.case_id
        if self._tracer is None or case_id is None:
            return case_trace.carrier_of(here)
        case = self.case_contexts.get(case_id)
        if case is None:
            case = await case_trace.stored(self.session, case_id)
            if case is None:  # this service begins the case: its trace is the case's trace
                case = case_trace.carrier_of(here)
                await case_trace.remember(self.session, [(case_id, case)])
            self.case_contexts[case_id] = case
        if case_trace.in_case_trace(here, case):
            return case_trace.carrier_of(here)
        return case_trace.continue_case(self._tracer, case, f"{envelope.event_type} {case_id}", case_id,
                                        {"jiuzhu.event_type": envelope.event_type, "jiuzhu.event_id": envelope.event_id})

    def trace_cases(self, cases: list[tuple[str, case_trace.Carrier]], name: str, **attributes: str) -> None:
        """Work done for many cases at once (a roster) appears as a span in each case's trace."""
        if self._tracer is None:
            return
        for case_id, carrier in cases:
            case_trace.continue_case(self._tracer, carrier, name, case_id, attributes)

    def insert_later(self, table: Table, row: dict[str, Any], *, skip_taken: bool = False) -> None:
        """Insert ``row`` into ``table`` at ``flush`` (at the latest before the commit), with the
        other rows of the table in one statement. ``skip_taken``: a row whose key is already there
        is not written (``ON CONFLICT DO NOTHING``); otherwise it fails the transaction. Only for
        rows nothing in this transaction reads back before the flush."""
        self._later.setdefault((table, skip_taken), []).append(row)

    def update_later(self, table: Table, key_column: str, key: str, row: dict[str, Any]) -> None:
        """Write ``row`` (the case's columns) over the row of ``table`` whose ``key_column`` is
        ``key`` at ``flush``, with the table's other changed rows in one statement. Only for a row
        locked in this transaction (``loaded``): nothing else writes it meanwhile."""
        self._changed.setdefault(table, (key_column, {}))[1][key] = row

    async def write_changed(self, table: Table | None = None) -> None:
        """Write now the changed cases of ``table``: before a query that reads the table's columns."""
        await self.direct.write(self._changed_writes(table))

    def _changed_writes(self, table: Table | None = None) -> list[Write]:
        """The changed cases (of ``table`` only, if given) as writes, no longer kept for later."""
        writes = []
        for t in [table] if table is not None else list(self._changed):
            if t not in self._changed:
                continue
            key_column, rows = self._changed.pop(t)
            by_columns: dict[tuple[str, ...], list] = {}  # one statement per set of columns (one, today)
            for k in sorted(rows):  # in key order, like the locks
                by_columns.setdefault(tuple(rows[k]), []).append(update_parameters(k, rows[k]))
            writes += [Write(t, update_statement(t, key_column, columns), parameters)
                       for columns, parameters in by_columns.items()]
        return writes

    async def flush(self) -> None:
        """Write what ``insert_later`` and ``update_later`` collected: in one round trip when it fits
        in one statement (``writes``), else one statement per table."""
        writes = self._changed_writes()
        later, self._later = self._later, {}
        for (table, skip_taken), rows in later.items():
            for columns, run in runs_of_same_columns(rows):  # in the order given (an audit chain's)
                writes.append(Write(table, insert_statement(table, skip_taken), run, columns))
        await self.direct.write(writes)
        # Written (a failing insert raises before this, and the caller forgets them). Nothing can
        # fail between here and the commit or the savepoint's release without failing the commit.
        self._written += self._unflushed
        self._unflushed = []

    def forget(self) -> None:
        """A savepoint was rolled back: what was remembered may describe writes that are gone,
        and the rows collected for a later insert were that event's."""
        self.memo.clear()
        self.case_contexts.clear()
        self._reset_cases()
        self._later = {}
        self._unflushed = []

    async def claim(self, consumer: str, event_id: str) -> bool:
        """Record that ``consumer`` processed ``event_id``; False if it already had (a redelivery)."""
        return bool(await self.claim_many(consumer, [event_id]))

    async def claim_many(self, consumer: str, event_ids: list[str]) -> set[str]:
        """``claim`` for a batch in one statement; returns the ids not processed before.

        An insert, never check-then-insert: a concurrent twin blocks on the key and then loses.
        """
        rows = await self.direct.fetch(_CLAIM, {"consumer": consumer, "ids": list(dict.fromkeys(event_ids))})
        return {row[0] for row in rows}


UOW = "jiuzhu.unit_of_work"  # the key of a session's unit of work in ``session.info``

# Set while a consumer's handler runs (``EventConsumer``): a handler changes nothing but through the
# consumer's unit of work, so that a batch rolled back — and applied again one event at a time, or
# redelivered — leaves nothing of the first attempt behind.
HANDLING_AN_EVENT: ContextVar[bool] = ContextVar("jiuzhu_handling_an_event", default=False)


def runs_of_same_columns(rows: list[dict[str, Any]]) -> list[tuple[tuple[str, ...], list[dict[str, Any]]]]:
    """The rows cut where their columns change, each run with its columns: one executemany per run,
    the rows written in the order given."""
    runs: list[tuple[tuple[str, ...], list[dict[str, Any]]]] = []
    for row in rows:
        columns = tuple(row)
        if runs and runs[-1][0] == columns:
            runs[-1][1].append(row)
        else:
            runs.append((columns, [row]))
    return runs


def direct_of(session: AsyncSession) -> Direct:
    """Where an adapter given a session sends a fixed statement of its own by asyncpg directly
    (``direct``): the session's unit of work's, or one made for a session opened without one."""
    uow = session.info.get(UOW)
    return uow.direct if uow is not None else Direct(session)

_UPDATES: dict[tuple[Table, str, tuple[str, ...]], Any] = {}


def update_parameters(key: str, row: dict[str, Any]) -> dict[str, Any]:
    """``update_statement``'s parameters for one row: each value under ``v_<column>`` (a column's
    own name is SQLAlchemy's, for the parameters it makes itself) and the key under ``b_key``."""
    return {f"v_{c}": v for c, v in row.items()} | {"b_key": key}


def update_statement(table: Table, key_column: str, columns: tuple[str, ...]):
    """``UPDATE table SET <columns>, updated_at = now() WHERE key = :b_key``, built once per table
    and set of columns: run with a list of rows it is asyncpg's executemany — one prepared
    statement, one round trip — whatever the number of rows."""
    statement = _UPDATES.get((table, key_column, columns))
    if statement is None:
        statement = (update(table).where(table.c[key_column] == bindparam("b_key"))
                     .values({**{table.c[n]: bindparam(f"v_{n}", type_=table.c[n].type) for n in columns},
                              table.c.updated_at: func.now()}))
        _UPDATES[(table, key_column, columns)] = statement
    return statement


_INSERTS: dict[tuple[Table, bool], Any] = {}


def insert_statement(table: Table, skip_taken: bool):
    """``INSERT INTO table`` (``ON CONFLICT DO NOTHING`` if ``skip_taken``), built once per table: run
    with the rows it is an executemany. Built anew for every flush, SQLAlchemy made its cache key
    each time before finding the compiled form."""
    statement = _INSERTS.get((table, skip_taken))
    if statement is None:
        statement = _INSERTS[(table, skip_taken)] = pg_insert(table).on_conflict_do_nothing() if skip_taken \
            else insert(table)
    return statement


# One statement whatever the batch's size (the ids as one array): compiled once, prepared once per
# connection — a multi-row VALUES was a new statement for every batch size, its cache key built
# from every parameter.
_CLAIM = text(
    f"INSERT INTO {processed_events.name} (consumer, event_id) SELECT :consumer, unnest(:ids) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
).bindparams(bindparam("consumer", type_=Text()), bindparam("ids", type_=ARRAY(Text())))
