"""The unit of work's closing writes, in one round trip when they fit in one statement (issue 14).

At its flush a unit of work writes what it kept for later: the changed cases of each table (an
``UPDATE``), the outbox's rows, a timeline's or a register's (an ``INSERT``). Sent one table at a
time, that was two or three round trips in most transactions — a command's case and its event, a
consumer's projection, its timeline line and its event — and on this machine a round trip's socket
write and the backend it wakes cost more CPU than the statement itself.

So the writes of one row each go as one statement, PostgreSQL's ``WITH`` of data-modifying
statements::

    WITH w0 AS (UPDATE cases SET … WHERE case_id = $4), w1 AS (INSERT INTO case_timeline … VALUES …)
    INSERT INTO outbox (…) VALUES ($9, …)

One statement is atomic by itself, and a failing part fails all of it, as one failing statement of
the flush failed the transaction before. Its parts see the same snapshot and do not see each
other's rows, which is why only writes that read nothing another part writes go together:

* **one part per table, of one row** — a changed case, a command's or an event's outbox row, a
  timeline line. A table with several rows (a consumer's batch of many events) or written in two
  parts (two sets of columns, an update and an insert) goes apart, by asyncpg's executemany as
  before, in the order given (an audit chain's ``seq`` follows it); there one round trip is shared
  by many events already. Rows of one each also keep the number of distinct statements small: each
  is prepared once per connection (a multi-row ``VALUES`` for 1–8 rows per table made one per
  combination of counts, more than asyncpg's cache of 100 holds for oversight's flushes).
* **no literal in the SQL** — the parts' ``$n`` are renumbered in the text, so a part whose SQL
  holds a quote (a literal that might hold a ``$``) goes apart. Those built here hold none.

What goes apart is written first, in the order given, then the statement of the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table

if TYPE_CHECKING:
    from jiuzhu_runtime.direct import Compiled


@dataclass(frozen=True)
class Write:
    """Rows for one statement built once and kept (``compiled`` remembers it by identity): each row
    its parameters; ``column_keys``, an ``INSERT``'s columns."""

    table: Table
    statement: Any
    rows: Sequence[Mapping[str, Any]]
    column_keys: tuple[str, ...] | None = None


def together_and_apart(writes: Sequence[Write]) -> tuple[list[Write], list[Write]]:
    """Which writes may share one statement, and which go apart (see the module's doc)."""
    tables: dict[Table, int] = {}
    for w in writes:
        tables[w.table] = tables.get(w.table, 0) + 1
    together, apart = [], []
    for w in writes:
        (together if len(w.rows) == 1 and tables[w.table] == 1 else apart).append(w)
    return together, apart


_PARAMETER = re.compile(r"\$(\d+)")
_JOINED: dict[tuple[int, ...], tuple[tuple["Compiled", ...], str | None]] = {}


def joined(parts: Sequence["Compiled"]) -> str | None:
    """The parts as one statement: every part but the last a ``WITH`` member, their ``$n`` numbered
    on from the part before. None when one of them holds a literal (see the module's doc)."""
    key = tuple(id(c) for c in parts)
    found = _JOINED.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], parts)):
        return found[1]
    sql: str | None = None
    if not any("'" in c.sql or "$$" in c.sql for c in parts):
        texts, offset = [], 0
        for c in parts:
            texts.append(_PARAMETER.sub(lambda m, o=offset: f"${int(m.group(1)) + o}", c.sql))
            offset += len(c.names)
        members = ", ".join(f"w{i} AS ({t})" for i, t in enumerate(texts[:-1]))
        sql = f"WITH {members} {texts[-1]}" if members else texts[-1]
    _JOINED[key] = (tuple(parts), sql)  # the parts kept: their ids stay theirs while the entry lives
    return sql
