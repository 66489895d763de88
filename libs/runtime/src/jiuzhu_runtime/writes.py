"""The unit of work's closing writes, in one round trip when they fit in one statement (issue 14).

At its flush a unit of work writes what it kept for later: the changed cases of each table (an
``UPDATE``), the outbox's rows, a timeline's or a register's (an ``INSERT``). Sent one table at a
time, that was two or three round trips in most transactions — a command's case and its event, a
consumer's projection, its timeline line and its event — and on this machine a round trip's socket
write and the backend it wakes cost more CPU than the statement itself.

So the writes that can go together go as one statement, PostgreSQL's ``WITH`` of data-modifying
statements::

    WITH w0 AS (UPDATE cases SET … WHERE case_id = $1), w1 AS (INSERT INTO case_timeline … VALUES …)
    INSERT INTO outbox (…) VALUES ($9, …), ($15, …)

One statement is atomic by itself, and a failing part fails all of it, as one failing statement of
the flush failed the transaction before. Its parts see the same snapshot and do not see each
other's rows, which is why only writes that read nothing another part writes go together:

* **one part per table** — the rows of a table are one ``INSERT … VALUES (…), (…)`` in the order
  given (an audit chain's ``seq`` follows it), or one ``UPDATE`` of a single row; a table with rows
  in two parts (two sets of columns, or an update and an insert) is written apart;
* **few rows** — an ``UPDATE`` of several rows, or an insert of more than ``TOGETHER_ROWS``, goes
  apart, by asyncpg's executemany as before (a consumer's larger batches, where one round trip per
  table is already shared by many events);
* **no literal in the SQL** — the parts' ``$n`` are renumbered in the text, so a part whose SQL
  holds a quote (a literal that might hold a ``$``) goes apart. Those built here hold none.

What goes apart is written first, in the order given, then the statement of the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert

if TYPE_CHECKING:
    from jiuzhu_runtime.direct import Compiled

TOGETHER_ROWS = 8  # an insert of more rows goes apart (its VALUES would be a statement of its own size)


@dataclass(frozen=True)
class Write:
    """Rows for one statement built once and kept (``compiled`` remembers it by identity): each row
    its parameters. ``insert`` (the table, skip a taken key?, the columns) when it is an ``INSERT``
    of those columns, which may then be sent as one multi-row ``VALUES``."""

    table: Table
    statement: Any
    rows: Sequence[Mapping[str, Any]]
    column_keys: tuple[str, ...] | None = None
    skip_taken: bool = False

    @property
    def is_insert(self) -> bool:
        return self.column_keys is not None


def together_and_apart(writes: Sequence[Write]) -> tuple[list[Write], list[Write]]:
    """Which writes may share one statement, and which go apart (see the module's doc)."""
    tables: dict[Table, int] = {}
    for w in writes:
        tables[w.table] = tables.get(w.table, 0) + 1
    together, apart = [], []
    for w in writes:
        fits = len(w.rows) <= TOGETHER_ROWS if w.is_insert else len(w.rows) == 1
        (together if fits and tables[w.table] == 1 else apart).append(w)
    return together, apart


def as_one_statement(w: Write) -> tuple[Any, tuple[str, ...] | None, Mapping[str, Any]]:
    """One write as one statement (a multi-row ``VALUES`` for an insert of several rows): the
    statement, its column keys, its parameters."""
    if not w.is_insert or len(w.rows) == 1:
        return w.statement, w.column_keys, w.rows[0]
    return (insert_rows_statement(w.table, w.skip_taken, w.column_keys, len(w.rows)), None,
            {f"r{i}_{k}": v for i, row in enumerate(w.rows) for k, v in row.items()})


_ROWS: dict[tuple[Table, bool, tuple[str, ...], int], Any] = {}


def insert_rows_statement(table: Table, skip_taken: bool, columns: tuple[str, ...], n: int):
    """``INSERT INTO table (columns) VALUES (…), (…)`` for ``n`` rows (``r<i>_<column>``), built
    once per table, columns and number of rows."""
    key = (table, skip_taken, columns, n)
    statement = _ROWS.get(key)
    if statement is None:
        rows = [{table.c[c]: bindparam(f"r{i}_{c}", type_=table.c[c].type) for c in columns} for i in range(n)]
        statement = pg_insert(table).values(rows).on_conflict_do_nothing() if skip_taken \
            else insert(table).values(rows)
        _ROWS[key] = statement
    return statement


_PARAMETER = re.compile(r"\$(\d+)")
_JOINED: dict[tuple[int, ...], str | None] = {}


def joined(parts: Sequence["Compiled"]) -> str | None:
    """The parts as one statement: every part but the last a ``WITH`` member, their ``$n`` numbered
    on from the part before. None when one of them holds a literal (see the module's doc)."""
    key = tuple(id(c) for c in parts)
    if key in _JOINED:
        return _JOINED[key]
    sql: str | None = None
    if not any("'" in c.sql or "$$" in c.sql for c in parts):
        texts, offset = [], 0
        for c in parts:
            texts.append(_PARAMETER.sub(lambda m, o=offset: f"${int(m.group(1)) + o}", c.sql))
            offset += len(c.names)
        members = ", ".join(f"w{i} AS ({t})" for i, t in enumerate(texts[:-1]))
        sql = f"WITH {members} {texts[-1]}" if members else texts[-1]
    _JOINED[key] = sql  # the compiled parts are kept (``compiled``'s cache): their ids stay theirs
    return sql
