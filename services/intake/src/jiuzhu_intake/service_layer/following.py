"""Following the case through the other stages (issue 3): each event of a stage moves the window's
case (its stage and due dates, domain/intake_case.py) and adds a line to its timeline, in the
consumer's unit of work."""

from __future__ import annotations

from typing import Any

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import Due
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_intake.adapters.repository import add_timeline
from jiuzhu_intake.domain.case_stage import STAGES
from jiuzhu_intake.service_layer.handlers import Intake


def announced_dues(payload: Any) -> list[Due]:
    """The due dates an event carries (SPEC §7: every deadline is computed and carried on events)."""
    return [value for value in payload.__dict__.values() if isinstance(value, Due)]


async def follow(ctx: Intake, env: Envelope[Any], uow: UnitOfWork) -> None:
    if not env.case_id:
        return
    # Every event handled here follows the acceptance, which opened the case here: until it has,
    # the store answers NotYet and the event is retried.
    async with ctx.case(env.case_id, uow=uow, caused_by=env) as case:
        case.state = case.state.followed(env.event_type, announced_dues(env.payload))
    add_timeline(
        uow, event_id=env.event_id, case_id=env.case_id, event_type=env.event_type, label=STAGES[env.event_type][1],
        occurred_at=env.occurred_at, actor_name=env.actor.name)


def event_handlers(ctx: Intake) -> dict:
    async def followed(env, uow):
        await follow(ctx, env, uow)

    return {event_type: followed for event_type in STAGES}
