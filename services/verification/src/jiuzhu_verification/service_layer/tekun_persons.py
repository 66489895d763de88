"""特困人员 per person at the household step (T21 art. 5, 19–23): the investigators name the household's
tekun persons with their six-item self-care assessment and way of support; the level is scored here
(``jiuzhu_kernel.tekun``), never typed in. The same for a new case and for a re-review (re-assessment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from jiuzhu_contracts.base import Category
from jiuzhu_contracts.tekun import SelfCareItem, SupportMode, TekunPerson
from jiuzhu_kernel import tekun
from jiuzhu_kernel.input_limits import date_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal

ONLY_TEKUN_RULE = "T21 art. 5: tekun persons are recorded for a tekun (特困) household only"
MODE_RULE = "T21 art. 19–20: 分散供养 at home, or 集中供养 in a named institution"
PERSONS_REQUIRED_RULE = "T21 art. 5, 21: a tekun household's data names its tekun persons, each assessed"


@dataclass(frozen=True)
class TekunPersonEntry:
    """What the investigators enter for one person."""

    id_number: str
    name: str
    unable: tuple[SelfCareItem, ...]
    assessed_on: dt.date
    support_mode: SupportMode = SupportMode.DISPERSED
    institution: str | None = None
    care_paid_to_institution: bool = False


def assess(entries: Sequence[TekunPersonEntry], *, category: Category, member_ids: Sequence[str],
           today: dt.date, limits, not_before: dt.date | None = None) -> tuple[TekunPerson, ...]:
    """The persons as assessed, or a 422 naming the field and the rule."""
    if category == Category.TEKUN and not entries:
        raise DomainRefusal("特困户须逐人登记特困人员及其生活自理能力评估 / name the tekun persons, each assessed",
                            rule=PERSONS_REQUIRED_RULE, status=422, field="tekun_persons")
    if not entries:
        return ()
    if category != Category.TEKUN:
        raise DomainRefusal(f"{category.value} 案件不记录特困人员 / a {category.value} household has no tekun persons",
                            rule=ONLY_TEKUN_RULE, status=422, field="tekun_persons")
    refuse([date_problem(f"tekun_persons.{i}.assessed_on", e.assessed_on, today=today, limits=limits,
                         not_before=not_before) for i, e in enumerate(entries)])
    persons = []
    for i, e in enumerate(entries):
        try:
            persons.append(tekun.assessed(id_number=e.id_number, name=e.name, unable=e.unable,
                                          assessed_on=e.assessed_on, support_mode=e.support_mode,
                                          institution=e.institution, care_paid_to_institution=e.care_paid_to_institution))
        except ValidationError as exc:  # the contract's own checks (集中供养 names its institution …)
            message = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise DomainRefusal(message, rule=MODE_RULE, status=422, field=f"tekun_persons.{i}.support_mode") from None
    tekun.ensure_persons(persons, member_ids)
    return tuple(persons)
