"""Bus handlers: the window's projection of every case of its jurisdiction (issue 3)."""

from __future__ import annotations

from typing import Any

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.base import Due
from jiuzhu_runtime.consumer import Handler, NotYet
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_intake.adapters.repository import IntakeRepository
from jiuzhu_intake.domain.case_stage import STAGES, next_stage


async def project(env: Envelope[Any], uow: UnitOfWork) -> None:
    if not env.case_id:
        return
    repo = IntakeRepository(uow.session)
    case = await repo.get_case(env.case_id, for_update=True)
    if case is None:
        # Every event handled here follows the acceptance, which wrote the case row here.
        raise NotYet(f"{env.event_type} for unknown case {env.case_id}")
    dues = dict(case.dues)
    for value in env.payload.__dict__.values():
        if isinstance(value, Due):
            dues[value.clock] = value.model_dump(mode="json")
    await repo.update_case(env.case_id, stage=next_stage(case.stage, env.event_type), dues=dues)
    await repo.add_timeline(event_id=env.event_id, case_id=env.case_id, event_type=env.event_type,
                            label=STAGES[env.event_type][1], occurred_at=env.occurred_at, actor_name=env.actor.name)


def handlers() -> dict[str, Handler]:
    return {event_type: project for event_type in STAGES}
