"""One case store for every service that holds a case: load it with a row lock, let the domain
change it, save it and its events in one transaction (STYLE 4, 5).

A service describes its case once, as a ``CaseKind``: the table, the aggregate's type, the
version of its stored shape with the upcasters that bring an older row up to it, and the indexed
columns derived from the state (status, next due date…). Then a handler does

    async with ctx.case(case_id, actor) as case:        # a command from the API
        case.state = case.state.record_visit(visit)     # a domain method returns the new state
        await case.emit(HomeVisitRecorded(...))

    async with ctx.case(env.case_id, uow=uow) as case:  # an event, inside the consumer's unit of work
        case.state = case.state.publicity_opened()

* **Row lock.** The case's row is read ``FOR UPDATE``: two commands on one case serialise.
* **Missing.** A command about a case this service does not hold is a 404 naming it; an event about
  one is ``NotYet`` (the event that creates it here is being retried, and this one overtook it).
* **Recusal.** A person acting on a case must not be one of its recused staff: the aggregate's
  ``ensure_may_act(actor_id)`` decides (D21 art. 11, close relatives), before anything changes.
* **Versioned state.** Each row carries ``state_version``. A row written by an older version of the
  service is brought up by its upcasters (``{1: add_field_x, 2: …}``: each takes the stored dict of
  that version and returns the next) when loaded, and saved in the current shape — a required field
  added to an aggregate never breaks the rows already stored.
* **Saved only when changed**, with the derived columns, in the same transaction as the events.
  Inside a consumer's batch the changed cases are written at the unit of work's flush (one
  statement per table); ``where`` and ``save`` write them first. **So, in an event handler, read a
  kind's table only through its store** (``get``, ``where``): a hand-written ``select`` on it would
  see the columns as they were before this batch's changes.
* **A consumer's batch reads and writes its cases together.** The unit of work keeps the cases
  locked in its transaction (its identity map): the first case of the service's own kind opened by
  an event of a batch locks and loads every case the batch names, in one statement, in key order
  (two batches never deadlock on them); a case opened again in the batch is not read again and
  shows what the earlier events changed; the changed cases are written at the unit of work's flush,
  one statement per table. A command's case is written at its unit of work's flush too (since
  2026-11-29), in one statement with its events (``writes``).
* **Not only cases.** A service's other records that are loaded, changed and saved the same way
  (a petition, an inspection, a publicity notice) are kinds too, keyed by their own number:
  ``CaseKind(..., key="petition_no")`` and ``case_table(..., key="petition_no")``. Their events
  carry the case the record is about, if it names one (its ``case_id``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import TypeAdapter
from sqlalchemy import ARRAY, Column, DateTime, Integer, MetaData, String, Table, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.envelope import SYSTEM_ACTOR, Actor
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.consumer import NotYet
from jiuzhu_runtime.unit_of_work import UOW, UnitOfWork, update_parameters, update_statement


class Case(Protocol):
    """What the store needs of an aggregate (and an attribute named as its kind's key)."""

    def ensure_may_act(self, actor_id: str) -> None:
        """Raise a DomainRefusal when this person is recused from this case."""


class CaseContext(Protocol):
    """What opening a case needs of the service's context (``StageContext`` is one)."""

    def unit_of_work(self) -> UnitOfWork: ...

    def wrap(self, payload, *, case_id: str | None = None, actor: Actor = SYSTEM_ACTOR,
             caused_by: Envelope | None = None) -> Envelope: ...


S = TypeVar("S", bound=Case)
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownCase(DomainRefusal):
    """A 404 in the project's two halves: 没有<名词> X / no <noun> X <where>."""

    def __init__(self, case_id: str, what: str, noun: str = "case", noun_zh: str = "案件"):
        super().__init__(f"没有{noun_zh} {case_id} / no {noun} {case_id} {what}", rule="exists", status=404)


class CaseTooNew(Exception):
    """A row written by a newer version of this service than the one running (a rollback of the
    deployment after a migration): refuse to guess rather than drop fields."""


@dataclass(frozen=True)
class CaseKind(Generic[S]):
    """How one service stores its case."""

    table: Table  # columns: case_id (key), state (JSONB), state_version (int), updated_at, + ``columns``
    state_type: type[S]
    version: int = 1
    upcasters: Mapping[int, Upcaster] = field(default_factory=dict)  # from version n to n + 1
    columns: Callable[[S], dict[str, Any]] = lambda state: {}  # indexed columns derived from the state
    held: str = "here"  # the 404's words: "no case X under investigation here"
    key: str = "case_id"  # the table's key column, and the aggregate's attribute of the same name
    noun: str = "case"  # the 404's noun: "no petition X here"
    noun_zh: str = "案件"  # and its Chinese half: "没有信访件 X"

    def __post_init__(self) -> None:
        missing = [n for n in range(1, self.version) if n not in self.upcasters]
        if missing:
            raise ValueError(f"{self.state_type.__name__} is at version {self.version}; "
                             f"no upcaster from version(s) {missing}")
        object.__setattr__(self, "_adapter", TypeAdapter(self.state_type))

    def dump(self, state: S) -> dict[str, Any]:
        return self._adapter.dump_python(state, mode="json")  # type: ignore[attr-defined]

    def load(self, data: dict[str, Any], version: int) -> S:
        if version > self.version:
            raise CaseTooNew(f"{self.state_type.__name__} stored at version {version}; "
                             f"this service reads up to {self.version}")
        for n in range(version, self.version):
            data = self.upcasters[n](data)
        return self._adapter.validate_python(data)  # type: ignore[attr-defined]

    def key_of(self, state: S) -> str:
        return getattr(state, self.key)

    def row(self, state: S) -> dict[str, Any]:
        return {"state": self.dump(state), "state_version": self.version, **self.columns(state)}


def case_table(name: str, metadata: MetaData, *columns, key: str = "case_id", key_length: int = 40) -> Table:
    """A case table in the store's shape: the key, the state and its version, when it last
    changed, and the service's own indexed columns (derived from the state by ``CaseKind.columns``)
    and constraints. ``key_length``: a record's number may be longer than a case id."""
    return Table(name, metadata,
                 Column(key, String(key_length), primary_key=True),
                 Column("state", JSONB, nullable=False),
                 Column("state_version", Integer, nullable=False, server_default="1"),
                 *columns,
                 Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()))


class CaseStore(Generic[S]):
    """The cases of one kind, inside one unit of work's transaction (it never commits on its own).

    Inside a ``UnitOfWork`` the cases it locked are in its identity map (``UnitOfWork.loaded``): read
    from there, kept there when saved or added, written (if changed by a batch) before any query on
    the table's columns."""

    def __init__(self, kind: CaseKind[S], session):
        self.kind, self.session = kind, session
        self._t = kind.table
        self._key = kind.table.c[kind.key]
        self._uow: UnitOfWork | None = session.info.get(UOW)

    def _loaded(self) -> dict[str, Any] | None:
        return None if self._uow is None else self._uow.loaded.setdefault(self._t, {})

    async def get(self, case_id: str, *, lock: bool = True) -> S | None:
        loaded = self._loaded()
        if loaded is not None and case_id in loaded:  # locked already, maybe changed since
            return loaded[case_id]
        statement = _read(self._t, self.kind.key, lock)
        if self._uow is not None:
            rows = await self._uow.direct.fetch(statement, {"key": case_id})
            row = rows[0] if rows else None
        else:
            row = (await self.session.execute(statement, {"key": case_id})).first()
        state = self.kind.load(row[0], row[1]) if row else None
        if lock and state is not None and loaded is not None:
            loaded[case_id] = state
        return state

    async def lock_batch(self, case_ids: list[str]) -> None:
        """Lock and load the cases of ``case_ids`` (those here) in one statement, in key order;
        once per unit of work and table. Then ``get`` finds them without a round trip."""
        loaded, uow = self._loaded(), self._uow
        if loaded is None or uow is None or self._t in uow.batch_read:
            return
        uow.batch_read.add(self._t)
        wanted = sorted({c for c in case_ids if c is not None and c not in loaded})
        if not wanted:
            return
        for key, state, version in await uow.direct.fetch(_batch_read(self._t, self.kind.key), {"ids": wanted}):
            loaded[key] = self.kind.load(state, version)

    async def get_or_refuse(self, case_id: str, *, lock: bool = True) -> S:
        """``get``, or the kind's 404 in both halves (没有<noun_zh> X / no <noun> X <held>)."""
        case = await self.get(case_id, lock=lock)
        if case is None:
            raise UnknownCase(case_id, self.kind.held, self.kind.noun, self.kind.noun_zh)
        return case

    async def add(self, state: S) -> bool:
        """The case is new here; False if it already was (a redelivered creating event)."""
        params = {self.kind.key: self.kind.key_of(state), **self.kind.row(state)}
        if self._uow is not None:
            added = bool(await self._uow.direct.fetch(_insert_new(self._t, self._key), params, column_keys=tuple(params)))
        else:
            added = (await self.session.execute(_insert_new(self._t, self._key), params)).first() is not None
        loaded = self._loaded()
        if added and loaded is not None:  # inserted by this transaction: no one else may change it
            loaded[self.kind.key_of(state)] = state
        return added

    async def save(self, state: S) -> None:
        """Written now (a change kept for the flush is written with it)."""
        key = self.kind.key_of(state)
        loaded = self._loaded()
        if loaded is not None:
            await self._uow.write_changed(self._t)  # type: ignore[union-attr]
            if key in loaded:
                loaded[key] = state
        row = self.kind.row(state)
        statement, params = update_statement(self._t, self.kind.key, tuple(row)), update_parameters(key, row)
        if self._uow is not None:
            await self._uow.direct.execute_many(statement, [params])
        else:
            await self.session.execute(statement, params)

    def save_later(self, state: S) -> None:
        """Inside a unit of work: kept in its identity map and written at its flush, with the other
        cases of this table the batch changed. Only for a case this transaction locked."""
        key = self.kind.key_of(state)
        self._loaded()[key] = state  # type: ignore[index]
        self._uow.update_later(self._t, self.kind.key, key, self.kind.row(state))  # type: ignore[union-attr]

    async def where(self, *criteria, order_by=(), limit: int | None = None, lock: bool = False,
                    skip_locked: bool = True) -> list[S]:
        """The cases matching ``criteria`` on the table's columns (worklists, tickers). With ``lock``,
        a ticker skips the rows someone else holds (the next tick takes them); a command that must
        change every matching case (``skip_locked=False``) waits for them instead."""
        if self._uow is not None:
            await self._uow.write_changed(self._t)  # the columns as this transaction changed them
        query = select(self._t.c.state, self._t.c.state_version).where(*criteria).order_by(*order_by)
        if limit is not None:
            query = query.limit(limit)
        if lock:
            query = query.with_for_update(skip_locked=skip_locked)
        return [self.kind.load(r.state, r.state_version) for r in (await self.session.execute(query)).all()]


_BATCH_READS: dict[tuple[Table, str], Any] = {}
_READS: dict[tuple[Table, str, bool], Any] = {}


def _read(table: Table, key: str, lock: bool):
    """One case's state by its key (``FOR UPDATE`` if ``lock``): built once, not per call — building
    and keying a statement per event was a good part of the client's CPU per event."""
    statement = _READS.get((table, key, lock))
    if statement is None:
        statement = select(table.c.state, table.c.state_version).where(table.c[key] == bindparam("key"))
        _READS[(table, key, lock)] = statement = statement.with_for_update() if lock else statement
    return statement


def _batch_read(table: Table, key: str):
    """``SELECT key, state, state_version … WHERE key = ANY(:ids) ORDER BY key FOR UPDATE``: one
    statement whatever the number of ids (compiled once, prepared once per connection); the rows
    are locked in key order, so two batches naming the same cases wait, never deadlock."""
    statement = _BATCH_READS.get((table, key))
    if statement is None:
        column = table.c[key]
        statement = (select(column, table.c.state, table.c.state_version)
                     .where(column == any_(bindparam("ids", type_=ARRAY(String()))))
                     .order_by(column).with_for_update())
        _BATCH_READS[(table, key)] = statement
    return statement


_INSERTS_NEW: dict[Table, Any] = {}


def _insert_new(table: Table, key: Any):
    """``INSERT … ON CONFLICT DO NOTHING RETURNING key``, run with the new case's columns: built once
    per table, not per case."""
    statement = _INSERTS_NEW.get(table)
    if statement is None:
        statement = _INSERTS_NEW[table] = pg_insert(table).on_conflict_do_nothing().returning(key)
    return statement


class OpenCase(Generic[S]):
    """One case being changed: its state (replace it with what a domain method returns) and the
    events the change causes."""

    def __init__(self, ctx: CaseContext, uow: UnitOfWork, store: CaseStore[S], state: S, actor: Actor,
                 caused_by: Envelope | None):
        self.ctx, self.uow, self.store = ctx, uow, store
        self.state, self.loaded = state, state
        self.actor, self.caused_by = actor, caused_by

    @property
    def case_id(self) -> str | None:
        """The case the events are about: the aggregate's ``case_id`` (a record such as a petition
        may name none)."""
        return getattr(self.state, "case_id", None)

    async def emit(self, payload, *, actor: Actor | None = None) -> Envelope:
        envelope = self.ctx.wrap(payload, case_id=self.case_id, actor=actor or self.actor, caused_by=self.caused_by)
        await self.uow.emit(envelope)
        return envelope

    async def save_if_changed(self, *, later: bool = False) -> None:
        if self.state is not self.loaded and self.state != self.loaded:
            if later:
                self.store.save_later(self.state)
            else:
                await self.store.save(self.state)
            self.loaded = self.state


@asynccontextmanager
async def open_case(ctx: CaseContext, kind: CaseKind[S], case_id: str, actor: Actor = SYSTEM_ACTOR, *,
                    uow: UnitOfWork | None = None, caused_by: Envelope | None = None) -> AsyncIterator[OpenCase[S]]:
    """Load, check, yield, save. With ``uow`` (an event in the consumer's batch) the case must be
    here already, else ``NotYet``; without it (a command) a unit of work is opened and committed
    here, and an unknown case is a 404. A person's recusal is checked on commands."""
    if uow is not None:
        store = CaseStore(kind, uow.session)
        if uow.batch_keys and getattr(ctx, "cases", None) is kind and case_id in uow.batch_keys:
            await store.lock_batch(uow.batch_keys)  # the batch's cases of this service's own kind
        state = await store.get(case_id)
        if state is None:
            raise NotYet(f"{caused_by.event_type if caused_by else 'an event'} for {kind.noun} {case_id} "
                         f"before the event that opens it {kind.held}")
        case = OpenCase(ctx, uow, store, state, actor, caused_by)
        yield case
        await case.save_if_changed(later=bool(uow.batch_keys))  # a batch's: written at its flush
        return
    async with ctx.unit_of_work() as own:
        store = CaseStore(kind, own.session)
        state = await store.get_or_refuse(case_id)
        if actor.id != SYSTEM_ACTOR.id:
            state.ensure_may_act(actor.id)
        case = OpenCase(ctx, own, store, state, actor, caused_by)
        yield case
        await case.save_if_changed(later=True)  # with its events, in the unit of work's flush
