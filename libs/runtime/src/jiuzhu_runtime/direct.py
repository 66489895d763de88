"""The unit of work's fixed statements sent by asyncpg itself, on the transaction's own connection
(issue 14).

Every consumer transaction runs the same few statements: the claim of its events, the batch read of
its cases, their write, the outbox's insert. Through SQLAlchemy's session each costs about a quarter
of a millisecond of CPU beyond asyncpg's own work (a greenlet, the execution context, the result
object: ``bench/statement_paths.py`` measures it) — with ~5 such statements in each of a lifecycle's
~32 consumer commits, a good part of a service's CPU. Here they are compiled once (SQL, parameter
order, each parameter's bind processor: the JSON of a JSONB column, as SQLAlchemy would send it) and
sent by asyncpg directly, inside the transaction the session opened, so they commit or roll back
with the rest of it.

Three things SQLAlchemy does for a statement are done here as well:

* **The transaction's BEGIN.** SQLAlchemy's asyncpg adapter sends it lazily, with the first
  statement; a statement sent past the adapter first would run, and commit, on its own. So the
  adapter is asked to begin (``begun``) when it has not yet.
* **Errors as SQLAlchemy raises them**: an asyncpg error becomes the adapter's DB-API error wrapped
  in ``sqlalchemy.exc.DBAPIError`` (``IntegrityError``, ``OperationalError``…), so the 409s, 422s,
  503s and the consumers' wait for the database (``errors``) see what they saw before.
* **A lost connection is not handed out again**: on a disconnect the connection is invalidated
  (the pool discards it; the session's rollback then finds nothing to send).

With tracing on, each statement is a span of its own, as the SQLAlchemy instrumentation makes one
for the others.

The adapter's ``_transaction``, ``_start_transaction`` and ``_handle_exception``, and the pool's
``_invalidate``, are SQLAlchemy's own, not its public API; ``tests/test_direct_statements.py``
fails if they change meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from jiuzhu_runtime.writes import Write, joined, together_and_apart


@dataclass(frozen=True)
class Compiled:
    """A statement as asyncpg takes it: its SQL (``$1``, ``$2``…), the parameters' names in that
    order, each one's bind processor (None: sent as it is), and the values the statement holds itself
    (an ``IN`` of a fixed list, a literal compared with)."""

    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    fixed: dict[str, Any]
    verb: str

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        values = {**self.fixed, **params} if self.fixed else params
        return [values[n] if p is None else p(values[n]) for n, p in zip(self.names, self.processors)]


_COMPILED: dict[tuple[int, Dialect, tuple[str, ...] | None], tuple[Any, Compiled]] = {}


def compiled(statement: Any, dialect: Dialect, column_keys: Sequence[str] | None = None) -> Compiled:
    """``statement`` compiled once for this dialect (an INSERT for these ``column_keys``), its
    fixed lists expanded as SQLAlchemy expands them at execution (``construct_expanded_state``).
    Only for statements built once and kept (module constants, caches): they are remembered by
    identity. The parameters a caller gives must not be lists to expand (``IN :x``): use ``= ANY``."""
    keys = tuple(column_keys) if column_keys is not None else None
    found = _COMPILED.get((id(statement), dialect, keys))
    if found is not None and found[0] is statement:
        return found[1]
    c = statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
    if c.insert_prefetch or c.update_prefetch:  # a column's Python-side default, computed per execution
        raise ValueError(f"not for a direct statement (a Python-side column default): {c.string}")
    if any(b.required and b.expanding for b in c.binds.values()):  # ``IN :x``, expanded per execution
        raise ValueError(f"not for a direct statement (a list to expand; use = ANY(:x)): {c.string}")
    given = {n: None for n, b in c.binds.items() if b.required}
    expanded = c.construct_expanded_state(given)
    names = tuple(expanded.positiontup or ())
    original = {e: o for o, es in expanded.parameter_expansion.items() for e in es}  # stage_1_2 → stage_1
    processors = tuple(c.binds[original.get(n, n)].type.dialect_impl(dialect).bind_processor(dialect) for n in names)
    fixed = {n: v for n, v in expanded.parameters.items() if n not in given}
    result = Compiled(expanded.statement, names, processors, fixed, expanded.statement.split(None, 1)[0].upper())
    _COMPILED[(id(statement), dialect, keys)] = (statement, result)  # the statement kept: its id stays its own
    return result


_WATCHERS: list[Callable[[str], None]] = []


@contextmanager
def watching(seen: Callable[[str], None]) -> Iterator[None]:
    """``seen(sql)`` for every statement sent here while it lasts (tests count round trips; the
    statements sent through SQLAlchemy are seen by its ``before_cursor_execute`` event)."""
    _WATCHERS.append(seen)
    try:
        yield
    finally:
        _WATCHERS.remove(seen)


class Direct:
    """One session's transaction, for statements sent by asyncpg directly (see the module's doc).
    Made per unit of work; the connection is the session's, looked up once."""

    def __init__(self, session: AsyncSession, tracer: trace.Tracer | None = None, *, autocommit: bool = False):
        """``autocommit``: no transaction is begun — each statement commits on its own (the relay's
        mark of what it sent)."""
        self._session = session
        self._autocommit = autocommit
        self._tracer = tracer
        self._connection: AsyncConnection | None = None
        self._adapted: Any = None  # SQLAlchemy's asyncpg adapter for the connection
        self._where: tuple = (None, None)  # the session's transaction and savepoint it was asked in
        self.dialect: Dialect = session.bind.dialect

    async def begun(self):
        """The asyncpg connection, inside the session's transaction (its BEGIN sent) and inside the
        savepoint the session last began (SQLAlchemy emits a ``SAVEPOINT`` when the session's
        connection is next asked for: a statement sent here first would escape it)."""
        sync = self._session.sync_session
        if self._connection is None or (sync.get_transaction(), sync.get_nested_transaction()) != self._where:
            self._connection = await self._session.connection()
            self._adapted = (await self._connection.get_raw_connection()).dbapi_connection
            # read after asking: a session without a transaction has just begun one (autobegin)
            self._where = (sync.get_transaction(), sync.get_nested_transaction())
        adapted = self._adapted
        if adapted._transaction is None and not self._autocommit:
            await adapted._start_transaction()
        return adapted._connection

    async def fetch(self, statement: Any, params: Mapping[str, Any], column_keys: Sequence[str] | None = None) -> list:
        """The rows (asyncpg records) of ``statement`` run with ``params``."""
        c = compiled(statement, self.dialect, column_keys)
        return await self._run(c.sql, c.verb, "fetch", c.args(params))

    async def execute_many(self, statement: Any, rows: Sequence[Mapping[str, Any]],
                           column_keys: Sequence[str] | None = None) -> None:
        """``statement`` once per row: one prepared statement, one round trip (asyncpg's executemany)."""
        c = compiled(statement, self.dialect, column_keys)
        await self._run(c.sql, c.verb, "executemany", [c.args(r) for r in rows])

    async def write(self, writes: Sequence[Write]) -> None:
        """Each write's rows: those that fit in one statement together as one round trip, the others
        apart (before them, in the order given) — see ``writes``."""
        together, apart = together_and_apart(writes)
        for w in apart:
            await self.execute_many(w.statement, w.rows, w.column_keys)
        if together:
            parts = []
            for w in together:
                c = compiled(w.statement, self.dialect, w.column_keys)
                parts.append((c, c.args(w.rows[0])))
            sql = joined([c for c, _ in parts])
            if sql is None:  # a literal in one of them: each apart
                for c, args in parts:
                    await self._run(c.sql, c.verb, "execute", args)
                return
            verb = parts[0][0].verb if len(parts) == 1 else "WITH"
            await self._run(sql, verb, "execute", [a for _, args in parts for a in args])

    async def _run(self, sql: str, verb: str, how: str, args: list) -> Any:
        for seen in _WATCHERS:
            seen(sql)
        try:
            connection = await self.begun()  # its BEGIN may find the connection lost as well
            sent = connection.fetch(sql, *args) if how == "fetch" else connection.executemany(sql, args) \
                if how == "executemany" else connection.execute(sql, *args)
            if self._tracer is None:
                return await sent
            with self._tracer.start_as_current_span(verb, kind=trace.SpanKind.CLIENT,
                                                    attributes={"db.system": "postgresql", "db.statement": sql}):
                return await sent
        except Exception as error:
            translated = await self._translated(error, sql, args)
            if translated is error:
                raise
            raise translated from error

    async def _translated(self, error: Exception, sql: str, args: list) -> Exception:
        """``error`` as SQLAlchemy would have raised it; the connection invalidated if it is lost."""
        if isinstance(error, SQLAlchemyError) or self._adapted is None:
            return error  # SQLAlchemy's already (the session could not get its connection)
        try:
            self._adapted._handle_exception(error)  # raises the adapter's DB-API form of it
        except Exception as dbapi_error:
            if not isinstance(dbapi_error, self.dialect.loaded_dbapi.Error):
                return error  # not the driver's (a socket's OSError…): raised as it is, as SQLAlchemy does
            lost = self.dialect.is_disconnect(dbapi_error, self._adapted, None)
            if lost and self._connection is not None:
                # as SQLAlchemy does on a disconnect: every connection older than this failure is
                # replaced at its next checkout (the server restarted: they are all gone), and this
                # one is discarded now
                synced = self._connection.sync_connection
                synced.engine.pool._invalidate(synced._dbapi_connection, dbapi_error, _checkin=False)
                await self._connection.invalidate(dbapi_error)
            return DBAPIError.instance(sql, args, dbapi_error, self.dialect.loaded_dbapi.Error,
                                       connection_invalidated=lost, dialect=self.dialect)
        return error  # not reached: the adapter always raises
