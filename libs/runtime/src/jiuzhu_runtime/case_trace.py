"""One OpenTelemetry trace per case, from the application to the roster (issue 7, scenario 10).

A message carries its trace from service to service (W3C ``traceparent`` in the outbox row and the
NATS headers), but every staff action arrives as a new HTTP request, i.e. a new trace. So each
service remembers, per case, the trace context under which it first met the case (``case_traces``):

* the service that creates a case (intake) remembers the request that created it: the root;
* a consumer remembers the context of the first event it applies for the case;
* an event about a case emitted outside that trace (a clerk's command, a clock tick) is written
  under a short span that continues the case's trace and links to the request that caused it.

Everything that follows an event (publish, consumers, their SQL, the events they emit) then
belongs to the case's trace.
"""

from __future__ import annotations

from collections.abc import Iterable

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from jiuzhu_runtime.db import case_traces

Carrier = dict[str, str]


def carrier_of(ctx: Context | None = None) -> Carrier:
    carrier: Carrier = {}
    propagate.inject(carrier, context=ctx)
    return carrier


def trace_id_of(ctx: Context | None) -> int:
    return trace.get_current_span(ctx).get_span_context().trace_id


# Built once (a statement built per call had its cache key made each time; a multi-row VALUES was a
# new statement for every number of rows): run with a list of rows, the insert is an executemany.
_STORED = select(case_traces.c.context).where(case_traces.c.case_id == bindparam("case_id"))
_REMEMBER = pg_insert(case_traces).on_conflict_do_nothing()


async def stored(session: AsyncSession, case_id: str) -> Carrier | None:
    return (await session.execute(_STORED, {"case_id": case_id})).scalar_one_or_none()


async def remember(session: AsyncSession, contexts: Iterable[tuple[str, Carrier]]) -> None:
    """Remember each case's context unless this service already knows the case's trace."""
    first = {}
    for case_id, carrier in contexts:
        if carrier.get("traceparent"):
            first.setdefault(case_id, carrier)
    rows = [{"case_id": case_id, "context": carrier} for case_id, carrier in first.items()]
    if rows:
        await session.execute(_REMEMBER, rows)


def continue_case(tracer: trace.Tracer, case_carrier: Carrier, name: str, case_id: str,
                  attributes: dict[str, str] | None = None) -> Carrier:
    """A span in the case's trace for work that began elsewhere (linked to where it began);
    returns the carrier for what follows it."""
    caused_by = trace.get_current_span().get_span_context()
    links = [trace.Link(caused_by)] if caused_by.is_valid else []
    span = tracer.start_span(name, context=propagate.extract(case_carrier), links=links,
                             attributes={"jiuzhu.case_id": case_id, **(attributes or {})})
    try:
        return carrier_of(trace.set_span_in_context(span))
    finally:
        span.end()


def in_case_trace(ctx: Context | None, case_carrier: Carrier) -> bool:
    return trace_id_of(ctx) == trace_id_of(propagate.extract(case_carrier))


def current() -> Context:
    return otel_context.get_current()
