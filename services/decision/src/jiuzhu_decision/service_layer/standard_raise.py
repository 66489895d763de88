"""提标 (issue 15 item 5): a year's standards, entered in the district file's ``[[standards]]`` (the
one source every service reads), recompute every supported household of this jurisdiction from an
effective month. The preview shows before/after per household and totals per category; applying it
(by the body holding the authority for every category it changes) emits one ``support_changed``
(cause ``standard_raise``, no written notice: the standard is published) per household whose amount
changes, with an id derived from the household, the year, the month and the amount — applying twice
changes nothing."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from ulid import ULID

from jiuzhu_contracts import money
from jiuzhu_contracts.base import ApprovingBody, Area, Category, Signer
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events.support import ChangeCause, SupportChanged
from jiuzhu_contracts.tekun import SelfCareLevel
from jiuzhu_kernel.district_config import MissingStandard
from jiuzhu_kernel.input_limits import month_problem, refuse
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.adapters.support_tables import supported_households
from jiuzhu_decision.domain.authority import check_decider
from jiuzhu_decision.domain.standard_raise import RAISE_RULE, Recomputation, YearStandards
from jiuzhu_decision.domain.supported_household import SupportedHousehold, SupportStatus
from jiuzhu_decision.service_layer.support import SupportContext

STANDARDS_RULE = "SPEC §4: benefit standards are configuration ([[standards]] of the district file)"
ON_SUPPORT = (SupportStatus.SUPPORTED.value, SupportStatus.GRADUAL_EXIT.value)


@dataclass(frozen=True)
class Line:
    household: SupportedHousehold
    result: Recomputation


@dataclass(frozen=True)
class RaiseReport:
    year: int
    effective_month: str
    standards: dict[Area, YearStandards]
    lines: list[Line]

    def totals(self, jurisdiction: str) -> list[dict]:
        """Per category (this service holds one jurisdiction): households, how many change, and the
        monthly sums before and after."""
        by: dict[Category, dict] = defaultdict(lambda: {"households": 0, "changing": 0, "needs_review": 0,
                                                        "before_fen": 0, "after_fen": 0})
        for line in self.lines:
            t = by[line.household.category]
            t["households"] += 1
            t["changing"] += line.result.changes
            t["needs_review"] += line.result.outcome in ("kept_lower", "kept_ineligible")
            t["before_fen"] += line.result.before_fen
            t["after_fen"] += line.result.after_fen
        return [{"jurisdiction": jurisdiction, "category": c, **t, "difference_fen": t["after_fen"] - t["before_fen"]}
                for c, t in sorted(by.items())]


def year_standards(ctx: SupportContext, year: int, areas: set[Area]) -> dict[Area, YearStandards]:
    """The year's dibao and tekun standards of each area, or a 422 naming the lines to add."""
    out = {}
    try:
        for area in sorted(areas):
            out[area] = YearStandards(year, ctx.config.standard(Category.DIBAO, area, year, ctx.jurisdiction),
                                      ctx.config.standard(Category.TEKUN, area, year, ctx.jurisdiction),
                                      ctx.config.benefits.rounding,
                                      care_fen=tuple((level.value, ctx.config.care_standard(level, area, year,
                                                                                            ctx.jurisdiction))
                                                     for level in SelfCareLevel))
    except MissingStandard as missing:
        raise DomainRefusal(str(missing), rule=STANDARDS_RULE, status=422, field="year",
                            details={"lines": missing.lines}) from None
    return out


def _check_month(ctx: SupportContext, year: int, effective_month: str) -> None:
    if int(effective_month[:4]) != year:
        raise DomainRefusal(f"生效月份{effective_month}不在{year}年 / {effective_month} is not in {year}, the year of "
                            "the standards", rule=STANDARDS_RULE, status=422, field="effective_month")
    refuse([month_problem("effective_month", effective_month, today=ctx.clock.today(), limits=ctx.config.limits)])


async def _report(ctx: SupportContext, store, year: int, effective_month: str, *, lock: bool) -> RaiseReport:
    _check_month(ctx, year, effective_month)
    t = supported_households
    # Locked in case order (as a consumer's batch locks its cases: no deadlock), waiting for a household
    # another command holds rather than skipping it (the raise must reach every one); listed by committee.
    households = await store.where(t.c.status.in_(ON_SUPPORT), order_by=(t.c.case_id,), lock=lock, skip_locked=False)
    households.sort(key=lambda h: (h.committee, h.case_id))
    standards = year_standards(ctx, year, {h.area for h in households if h.area is not None} or {Area.URBAN})
    return RaiseReport(year, effective_month, standards,
                       [Line(h, h.recomputation(standards.get(h.area), effective_month)) for h in households])


async def preview(ctx: SupportContext, year: int, effective_month: str) -> RaiseReport:
    async with ctx.unit_of_work() as uow:
        return await _report(ctx, ctx.store(uow), year, effective_month, lock=False)


def _event_id(jurisdiction: str, case_id: str, year: int, month: str, amount_fen: int) -> str:
    key = f"{jurisdiction}|{case_id}|standard_raise|{year}|{month}|{amount_fen}"
    return str(ULID.from_bytes(hashlib.sha256(key.encode()).digest()[:16]))


def _reasons(h: SupportedHousehold, s: YearStandards, r: Recomputation, month: str) -> tuple[str, ...]:
    standard = s.dibao_fen if h.category == Category.DIBAO else s.tekun_fen
    return (f"{s.year}年起保障标准调整为每人每月{money.yuan(standard)}元（区配置[[standards]]），自{month}起月保障金由"
            f"{money.yuan(r.before_fen)}元调整为{money.yuan(r.after_fen)}元 / the {s.year} standard "
            f"{money.yuan(standard)} yuan a person a month ({RAISE_RULE})",)


async def apply(ctx: SupportContext, year: int, effective_month: str, *, actor: Actor,
                at_district: bool) -> tuple[RaiseReport, int]:
    """The raise, for every household it changes, in one transaction; (the report, how many changed).
    Recusal (D21 art. 11) is not asked: the raise applies one published standard to every household
    alike and decides nothing about any one of them."""
    today = ctx.clock.today()
    signer = Signer(id=actor.id, name=actor.name, role=actor.role)
    async with ctx.unit_of_work() as uow:
        store = ctx.store(uow)
        report = await _report(ctx, store, year, effective_month, lock=True)
        changing = [line for line in report.lines if line.result.changes]
        bodies = {c: ApprovingBody(check_decider(ctx.config, ctx.jurisdiction, c, today,
                                                 caller_at_district=at_district).body)
                  for c in sorted({line.household.category for line in changing})}
        for line in changing:
            h, r = line.household, line.result
            standards = report.standards[h.area]
            await store.save(h.recomputed_for(standards, effective_month))
            await uow.emit(ctx.wrap(SupportChanged(
                category=h.category, cause=ChangeCause.STANDARD_RAISE, decided_on=today, amount_before_fen=r.before_fen,
                amount_fen=r.after_fen, household_size=h.household_size, effective_month=effective_month,
                reasons=_reasons(h, standards, r, effective_month), approving_body=bodies[h.category], signer=signer),
                case_id=h.case_id, actor=actor,
                event_id=_event_id(ctx.jurisdiction, h.case_id, year, effective_month, r.after_fen)), once=True)
        return report, len(changing)
