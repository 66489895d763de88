"""Rosters in SQL, so a district of a million households compiles in one statement. Implements
domain/roster.py's rules; tests compare the two."""

from __future__ import annotations

import asyncio
import hashlib
import re

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_disbursement.adapters.amount_history import AMOUNT_IN_MONTH, AMOUNT_JOIN
from jiuzhu_disbursement.domain.roster import HEADER, REGISTERED_ONLY, Line

# The canonical line, exactly as domain.roster.canonical_line writes it.
LINE_SQL = ("l.jurisdiction || ',' || l.case_id || ',' || l.category || ',' || l.month || ',' || l.amount_fen::text"
            " || ',\"' || replace(l.name, '\"', '\"\"') || '\",\"' || replace(l.account, '\"', '\"\"') || '\",'"
            " || l.kind")
ORDER_SQL = 'l.jurisdiction COLLATE "C", l.case_id COLLATE "C", l.category COLLATE "C", l.month COLLATE "C"'

# domain.roster.payable in SQL: a registered-only category (low-income) and a 0-fen line are never paid.
NOT_PAID_CATEGORIES = ", ".join(f"'{c}'" for c in REGISTERED_ONLY)

SCOPE_FILTER = ("(CAST(:scope_jurisdiction AS text) IS NULL "
                "OR r.jurisdiction = CAST(:scope_jurisdiction AS text))")

# Temporary assistance is paid outside the roster, by one-off batches (service_layer/one_off_batches.py,
# issue 16 item 1); a temporary line claimed on a roster before that and failed is still carried here.
COMPILE = f"""
INSERT INTO roster_lines (roster_id, jurisdiction, case_id, category, month, amount_fen, name, account, kind)
SELECT CAST(:rid AS varchar), r.jurisdiction, r.case_id, r.category, CAST(:month AS varchar), {AMOUNT_IN_MONTH}, r.public_name, r.payment_account, 'monthly'
  FROM recipients r {AMOUNT_JOIN}
 WHERE r.category NOT IN ('temporary', {NOT_PAID_CATEGORIES}) AND {AMOUNT_IN_MONTH} > 0
   AND r.from_month <= CAST(:month AS varchar) AND (r.until_month IS NULL OR r.until_month >= CAST(:month AS varchar))
   AND {SCOPE_FILTER}
   AND NOT EXISTS (SELECT 1 FROM payment_claims c
                    WHERE c.case_id = r.case_id AND c.category = r.category AND c.month = CAST(:month AS varchar))
UNION ALL
SELECT CAST(:rid AS varchar), r.jurisdiction, c.case_id, c.category, c.month, c.amount_fen, r.public_name, r.payment_account, 'carried'
  FROM payment_claims c JOIN recipients r ON r.case_id = c.case_id
 WHERE c.status = 'failed' AND c.category NOT IN ({NOT_PAID_CATEGORIES}) AND c.amount_fen > 0
   AND c.month <= CAST(:month AS varchar) AND {SCOPE_FILTER}
"""


async def insert_lines(s: AsyncSession, rid: str, month: str, jurisdiction: str | None) -> int:
    result = await s.execute(text(COMPILE), {"rid": rid, "month": month, "scope_jurisdiction": jurisdiction})
    return result.rowcount


async def checksum(s: AsyncSession, rid: str) -> str:
    """SHA-256 of the canonical export — header and lines — computed over the very bytes the CSV
    export streams (``canonical_export``), so the two cannot disagree."""
    digest = hashlib.sha256()
    async for chunk in canonical_export(s, rid):
        digest.update(chunk)
    return digest.hexdigest()


async def canonical_export(s: AsyncSession, rid: str):
    """The roster's canonical CSV — the header, then every line in canonical order — as bytes."""
    yield (HEADER + "\n").encode()
    async for chunk in stream_lines(s, rid):
        yield chunk


async def totals(s: AsyncSession, rid: str) -> dict[str, list[int]]:
    rows = await s.execute(text("SELECT category, count(*), sum(amount_fen) FROM roster_lines WHERE roster_id = :rid "
                                "GROUP BY category ORDER BY category"), {"rid": rid})
    return {r[0]: [int(r[1]), int(r[2])] for r in rows}


async def delete_lines(s: AsyncSession, rid: str) -> None:
    await s.execute(text("DELETE FROM roster_lines WHERE roster_id = :rid"), {"rid": rid})


def _line(row) -> Line:
    return Line(row.jurisdiction, row.case_id, row.category, row.month, int(row.amount_fen), row.name, row.account,
                row.kind)


async def difference_rows(s: AsyncSession, old: str, new: str, limit: int) -> tuple[dict, list[tuple]]:
    """Counts of added/removed/changed lines and up to ``limit`` (before, after) pairs."""
    join = ("FROM (SELECT * FROM roster_lines WHERE roster_id = :old) o FULL OUTER JOIN "
            "(SELECT * FROM roster_lines WHERE roster_id = :new) n "
            "ON o.case_id = n.case_id AND o.category = n.category AND o.month = n.month "
            "WHERE o.case_id IS NULL OR n.case_id IS NULL OR o.amount_fen <> n.amount_fen")
    counts = (await s.execute(text(
        "SELECT count(*) FILTER (WHERE o.case_id IS NULL), count(*) FILTER (WHERE n.case_id IS NULL), "
        f"count(*) FILTER (WHERE o.case_id IS NOT NULL AND n.case_id IS NOT NULL) {join}"),
        {"old": old, "new": new})).one()
    cols = ", ".join(f"{side}.{c} AS {side}_{c}" for side in "on" for c in
                     ("jurisdiction", "case_id", "category", "month", "amount_fen", "name", "account", "kind"))
    rows = (await s.execute(text(f"SELECT {cols} {join} ORDER BY coalesce(n.case_id, o.case_id) LIMIT :limit"),
                            {"old": old, "new": new, "limit": limit})).all()
    pairs = []
    for r in rows:
        m = r._mapping
        before = None if m["o_case_id"] is None else Line(*(m[f"o_{c}"] for c in Line.__dataclass_fields__))
        after = None if m["n_case_id"] is None else Line(*(m[f"n_{c}"] for c in Line.__dataclass_fields__))
        pairs.append((before, after))
    return {"added": counts[0], "removed": counts[1], "changed": counts[2]}, pairs


async def claim(s: AsyncSession, rid: str) -> tuple[int, int, int, int]:
    """Claims every line of a roster: (new expected, new made, carried expected, carried made).
    The claims' primary key is what makes a second payment impossible."""
    expected = (await s.execute(text("SELECT count(*) FILTER (WHERE kind <> 'carried'), "
                                     "count(*) FILTER (WHERE kind = 'carried') FROM roster_lines "
                                     "WHERE roster_id = :rid"), {"rid": rid})).one()
    made = (await s.execute(text(
        "INSERT INTO payment_claims (case_id, category, month, amount_fen, roster_id, status) "
        "SELECT case_id, category, month, amount_fen, roster_id, 'submitted' FROM roster_lines "
        "WHERE roster_id = :rid AND kind <> 'carried' ON CONFLICT DO NOTHING"), {"rid": rid})).rowcount
    carried = (await s.execute(text(
        "UPDATE payment_claims c SET status = 'submitted', roster_id = :rid, failure_reason = NULL "
        "FROM roster_lines l WHERE l.roster_id = :rid AND l.kind = 'carried' AND c.case_id = l.case_id "
        "AND c.category = l.category AND c.month = l.month AND c.status = 'failed'"), {"rid": rid})).rowcount
    return expected[0], made, expected[1], carried


async def conflicting(s: AsyncSession, rid: str, limit: int = 20) -> list[dict]:
    rows = await s.execute(text(
        "SELECT l.case_id, l.category, l.month, c.roster_id, c.status FROM roster_lines l JOIN payment_claims c "
        "ON c.case_id = l.case_id AND c.category = l.category AND c.month = l.month "
        "WHERE l.roster_id = :rid AND c.roster_id <> :rid LIMIT :limit"), {"rid": rid, "limit": limit})
    return [dict(r._mapping) for r in rows]


async def claims(s: AsyncSession, rid: str, limit: int) -> list[dict]:
    """The payment claims this roster carries, with where each stands (submitted, paid, failed)."""
    rows = await s.execute(text(
        "SELECT case_id, category, month, amount_fen, status, failure_reason FROM payment_claims "
        "WHERE roster_id = :rid ORDER BY case_id, category, month LIMIT :limit"), {"rid": rid, "limit": limit})
    return [dict(r._mapping) for r in rows]


async def confirm(s: AsyncSession, rid: str, lines: list[tuple[str, str, str, str, str | None]] | None,
                  all_status: str | None) -> list[tuple]:
    """Marks claims paid or failed; returns (case_id, category, month, amount, status, reason) confirmed."""
    if all_status:
        rows = await s.execute(text(
            "UPDATE payment_claims SET status = :status WHERE roster_id = :rid AND status = 'submitted' "
            "RETURNING case_id, category, month, amount_fen, status, failure_reason"), {"rid": rid, "status": all_status})
        return [tuple(r) for r in rows]
    out = []
    for case_id, category, month, status, reason in lines or []:
        row = (await s.execute(text(
            "UPDATE payment_claims SET status = :status, failure_reason = :reason WHERE roster_id = :rid "
            "AND case_id = :case AND category = :category AND month = :month AND status = 'submitted' "
            "RETURNING case_id, category, month, amount_fen, status, failure_reason"),
            {"rid": rid, "status": status, "reason": reason, "case": case_id, "category": category,
             "month": month})).first()
        if row:
            out.append(tuple(row))
    return out


# Sorting a million lines in canonical order fits in memory with this, instead of spilling to disk.
SORT_MEMORY = "SET LOCAL work_mem = '256MB'"


async def stream_lines(s: AsyncSession, rid: str):
    """The canonical lines of a roster in canonical order, as bytes, written by PostgreSQL itself
    (``COPY … TO STDOUT``): a third of the time of fetching a million rows one by one."""
    await s.execute(text(SORT_MEMORY))
    raw = (await (await s.connection()).get_raw_connection()).driver_connection
    query = f"SELECT {LINE_SQL} FROM roster_lines l WHERE l.roster_id = $1 ORDER BY {ORDER_SQL}"
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=16)

    async def copy() -> None:
        try:
            await raw.copy_from_query(query, rid, output=chunks.put, format="text")
        finally:
            await chunks.put(None)

    task = asyncio.create_task(copy())
    decoder = CopyTextDecoder()
    try:
        while (chunk := await chunks.get()) is not None:
            yield decoder.feed(chunk)
        await task  # its error, if it failed
        yield decoder.end()
    finally:
        if not task.done():
            task.cancel()


class CopyTextDecoder:
    """Undoes COPY's text-format escaping of a one-column result, chunk by chunk. PostgreSQL writes
    a backslash as ``\\\\`` and these control characters as ``\\b \\f \\n \\r \\t \\v``; a NULL (``\\N``) cannot
    be a roster line. Chunks may split an escape: a trailing backslash waits for the next chunk."""

    ESCAPES = {b"\\": b"\\", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}
    _pattern = re.compile(rb"\\(.)", re.DOTALL)

    def __init__(self) -> None:
        self._held = b""

    def feed(self, chunk: bytes) -> bytes:
        data = self._held + chunk
        self._held = b""
        if b"\\" not in data:
            return data
        trailing = len(data) - len(data.rstrip(b"\\"))
        if trailing % 2:  # an escape cut in two
            data, self._held = data[:-1], b"\\"
        return self._pattern.sub(self._unescape, data)

    def end(self) -> bytes:
        if self._held:
            raise ValueError("COPY output ended inside an escape")
        return b""

    @classmethod
    def _unescape(cls, match: re.Match) -> bytes:
        try:
            return cls.ESCAPES[match.group(1)]
        except KeyError:
            raise ValueError(f"a roster line held {match.group(0)!r} (a NULL line?)") from None


async def all_lines(s: AsyncSession, rid: str) -> list[Line]:
    rows = await s.execute(text("SELECT * FROM roster_lines WHERE roster_id = :rid"), {"rid": rid})
    return [_line(r) for r in rows]


async def cases_entering_rosters(s: AsyncSession, rid: str) -> list[tuple[str, dict]]:
    """Cases on this roster whose trace has not yet reached a roster, with their trace context; the
    context is forgotten here, so a case's trace ends at its first roster (issue 7, scenario 10)."""
    rows = await s.execute(text("DELETE FROM case_traces t USING roster_lines l WHERE l.roster_id = :rid "
                                "AND l.case_id = t.case_id RETURNING t.case_id, t.context"), {"rid": rid})
    return [(r[0], r[1]) for r in rows]
