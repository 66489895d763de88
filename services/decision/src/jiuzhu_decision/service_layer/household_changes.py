"""户内变更 (issue 15 item 6): the clerk or the leader records a supported household's change of
members, payment account or address within the jurisdiction → ``household_changed``.

The amount is not decided here (a change of size leads to a re-review or a ``support_changed`` by
whoever holds the authority). A member's death (cause ``death``) opens the re-review due within
3 months (N22 §1.3): the re-review schedule follows ``household_changed`` for it."""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.base import Category, Signer
from jiuzhu_contracts.events.household import ConditionChanged, HouseholdChanged, MemberAdded, MemberRemoved
from jiuzhu_kernel.input_limits import birth_date_problem, date_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.domain.household_changes import COMMITTEE_RULE, NOTHING_RULE, check_causes
from jiuzhu_decision.domain.supported_household import SupportedHousehold
from jiuzhu_decision.service_layer.support import SupportContext


def _check_input(ctx: SupportContext, today: dt.date, added: tuple[MemberAdded, ...],
                 removed: tuple[MemberRemoved, ...], committee: str | None) -> None:
    limits = ctx.config.limits
    problems = []
    for i, a in enumerate(added):
        problems.append(birth_date_problem(f"members_added[{i}].member.id_number", a.member.id_number, today=today,
                                           limits=limits))
        problems.append(date_problem(f"members_added[{i}].since", a.since, today=today, limits=limits,
                                     not_before=dt.date(1900, 1, 1)))
    for i, r in enumerate(removed):
        problems.append(date_problem(f"members_removed[{i}].since", r.since, today=today, limits=limits,
                                     not_before=dt.date(1900, 1, 1)))
    refuse(problems)
    check_causes([(a.member.id_number, a.cause) for a in added], [(r.id_number, r.cause) for r in removed])
    if committee is not None and committee not in ctx.config.jurisdiction(ctx.jurisdiction).committees:
        raise DomainRefusal(f"{committee} 不是本辖区的居（村）委会 / {committee} is not a committee of this jurisdiction",
                            rule=COMMITTEE_RULE, status=422, field="committee")


CONDITION_RULE = "T21 art. 23: a changed condition is reported for a tekun person of a tekun household"


def _check_conditions(ctx: SupportContext, today: dt.date, h: SupportedHousehold,
                      conditions: tuple[ConditionChanged, ...]) -> None:
    """特困: the person whose condition changed is a member of a tekun household (T21 art. 23)."""
    if not conditions:
        return
    if h.category != Category.TEKUN:
        raise DomainRefusal(f"{h.case_id} 不是特困供养户 / {h.case_id} is not a tekun household", rule=CONDITION_RULE,
                            status=422, field="condition_changes")
    problems = [date_problem(f"condition_changes[{i}].noticed_on", c.noticed_on, today=today,
                             limits=ctx.config.limits, not_before=h.approved_on) for i, c in enumerate(conditions)]
    refuse(problems)
    for i, c in enumerate(conditions):
        if c.id_number not in h.member_id_numbers:
            raise DomainRefusal(f"{c.name} 不是本户成员 / {c.name} is not a member of the household",
                                rule=CONDITION_RULE, status=422, field=f"condition_changes[{i}].id_number")


async def change_household(ctx: SupportContext, case_id: str, *, added: tuple[MemberAdded, ...] = (),
                           removed: tuple[MemberRemoved, ...] = (), payment_account: str | None = None,
                           address: str | None = None, committee: str | None = None, public_name: str | None = None,
                           reasons: tuple[str, ...] = (), actor: Actor,
                           conditions: tuple[ConditionChanged, ...] = ()) -> SupportedHousehold:
    today = ctx.clock.today()
    if not (added or removed or payment_account or address or conditions):
        raise DomainRefusal("没有变更内容 / nothing to change", rule=NOTHING_RULE, status=422, field="members_added")
    _check_input(ctx, today, added, removed, committee)
    async with ctx.case(case_id, actor) as case:
        h: SupportedHousehold = case.state
        _check_conditions(ctx, today, h, conditions)
        after = h.household_changed(added=tuple(a.member.id_number for a in added),
                                    removed=tuple(r.id_number for r in removed), payment_account=payment_account,
                                    address=address, committee=committee, public_name=public_name)
        case.state = after
        await case.emit(HouseholdChanged(
            category=h.category, changed_on=today, members_added=added, members_removed=removed,
            household_size=after.household_size, public_name=after.public_name, payment_account=payment_account,
            address=address, committee=committee if committee != h.committee else None, reasons=reasons,
            recorded_by=Signer(id=actor.id, name=actor.name, role=actor.role), condition_changes=conditions))
        return after
