"""The periodic re-review of one supported household (定期核查, D21 art. 31), as a plain aggregate.

A sibling of the ``Investigation``, not another round of it: the investigation is the record of the
application — closed by the decision, the evidence behind the approval that the district files and
spot-checks — and a household imported from the old system never had one. A re-review recurs for
as long as the household is supported, so it lives in its own row per household (the case store,
keyed by the case id) holding the schedule, the round under way and the rounds done. The steps
and their rules are the investigation's — the same ``Visit``, ``Household`` and ``CheckReport``,
the same two-investigator team, the report before the review, the reviewer not an investigator —
so a re-review is investigated as a new case is (plan 五(二)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from jiuzhu_contracts.base import Area, Category
from jiuzhu_contracts.events.re_review import HouseholdProfile, ReReviewCause, ReReviewOutcome
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_verification.domain.investigation import (
    OVERRIDE_RULE,
    RECUSAL_RULE,
    REPORT_RULE,
    SEPARATION_RULE,
    TEAM_RULE,
    VISIT_RULE,
    CheckReport,
    Household,
    Person,
    Visit,
)

ONE_AT_A_TIME_RULE = "D21 art. 31: one re-review at a time — complete the open one first"
NOT_OPEN_RULE = "a re-review must be opened before its steps are recorded"
LAPSED_RULE = "D21 art. 31: only a household on support is re-reviewed"


class ReReviewStatus(StrEnum):
    SCHEDULED = "scheduled"  # on support, the next periodic re-review on ``next_on``
    OPEN = "open"  # a re-review under way, due on ``current.due_on``
    LAPSED = "lapsed"  # support ended: nothing more to re-review


@dataclass(frozen=True)
class Round:
    """The re-review under way."""

    round: int
    cause: ReReviewCause
    opened_on: dt.date
    due_on: dt.date
    reasons: tuple[str, ...]
    occurred_on: dt.date | None = None
    visit: Visit | None = None
    household: Household | None = None
    check_request_id: str | None = None
    check_report: CheckReport | None = None

    @property
    def investigators(self) -> tuple[Person, ...]:
        return self.visit.investigators if self.visit else ()

    def means(self) -> tuple[int, int]:
        """As for a new case: the larger of what investigators recorded and what the check centre found."""
        assert self.household and self.check_report
        return (max(self.household.monthly_income_fen, self.check_report.monthly_income_fen),
                max(self.household.countable_assets_fen, self.check_report.countable_assets_fen))


@dataclass(frozen=True)
class Done:
    round: int
    cause: ReReviewCause
    opened_on: dt.date
    completed_on: dt.date
    outcome: ReReviewOutcome
    proposed_amount_fen: int
    reviewer_id: str


@dataclass(frozen=True)
class Proposal:
    """What the reviewer signs."""

    outcome: ReReviewOutcome
    amount_fen: int
    reasons: tuple[str, ...]
    override_reason: str | None = None


@dataclass(frozen=True)
class ReReview:
    case_id: str
    category: Category
    area: Area
    committee: str
    public_name: str
    supported_since: dt.date
    profile: HouseholdProfile
    next_on: dt.date | None
    recused: frozenset[str] = frozenset()
    status: ReReviewStatus = ReReviewStatus.SCHEDULED
    current: Round | None = None
    done: tuple[Done, ...] = ()

    @classmethod
    def scheduled(cls, *, case_id: str, category: Category, area: Area, committee: str, public_name: str,
                  supported_since: dt.date, profile: HouseholdProfile, next_on: dt.date,
                  recused: frozenset[str] = frozenset()) -> "ReReview":
        return cls(case_id=case_id, category=category, area=area, committee=committee, public_name=public_name,
                   supported_since=supported_since, profile=profile, next_on=next_on, recused=recused)

    @property
    def rounds(self) -> int:
        return len(self.done) + (1 if self.current else 0)

    @property
    def due_on(self) -> dt.date | None:
        """The work list's date: the open re-review's due date, else the next scheduled one."""
        if self.status is ReReviewStatus.OPEN:
            return self.current.due_on
        return self.next_on if self.status is ReReviewStatus.SCHEDULED else None

    # --- guards ------------------------------------------------------------------------------
    def ensure_may_act(self, person_id: str) -> None:
        if person_id in self.recused:
            raise DomainRefusal(f"{person_id} is registered as a close relative's staff member for household "
                                f"{self.case_id} and must recuse", rule=RECUSAL_RULE, status=403)

    def _open_round(self) -> Round:
        if self.status is not ReReviewStatus.OPEN or self.current is None:
            raise DomainRefusal(f"household {self.case_id} has no re-review open", rule=NOT_OPEN_RULE, status=409)
        return self.current

    # --- opening -----------------------------------------------------------------------------
    def is_due(self, today: dt.date) -> bool:
        return self.status is ReReviewStatus.SCHEDULED and self.next_on is not None and self.next_on <= today

    def open(self, *, cause: ReReviewCause, opened_on: dt.date, due_on: dt.date, reasons: tuple[str, ...],
             occurred_on: dt.date | None = None) -> "ReReview":
        if self.status is ReReviewStatus.LAPSED:
            raise DomainRefusal(f"household {self.case_id} is no longer on support", rule=LAPSED_RULE, status=409)
        if self.status is ReReviewStatus.OPEN:
            raise DomainRefusal(f"household {self.case_id} has re-review {self.current.round} open, due "
                                f"{self.current.due_on}", rule=ONE_AT_A_TIME_RULE, status=409)
        return replace(self, status=ReReviewStatus.OPEN,
                       current=Round(self.rounds + 1, cause, opened_on, due_on, reasons, occurred_on))

    # --- the steps of a new case -------------------------------------------------------------
    def record_visit(self, visit: Visit) -> "ReReview":
        r = self._open_round()
        if len({p.id for p in visit.investigators}) < 2:
            raise DomainRefusal("a home visit needs at least two different investigators", rule=TEAM_RULE,
                                status=422, field="investigators")
        for person in visit.investigators:
            self.ensure_may_act(person.id)
        if visit.visited_on < r.opened_on:
            raise DomainRefusal("the visit cannot be before the re-review was opened", rule=NOT_OPEN_RULE,
                                status=422, field="visited_on")
        return replace(self, current=replace(r, visit=visit))

    def record_household(self, household: Household, request_id: str) -> "ReReview":
        r = self._open_round()
        return replace(self, current=replace(r, household=household, check_request_id=request_id, check_report=None))

    def already_reported(self, report: CheckReport) -> bool:
        return self.current is not None and self.current.check_report == report

    def record_check_report(self, report: CheckReport) -> "ReReview":
        r = self._open_round()
        if report.request_id != r.check_request_id:
            raise DomainRefusal(f"report {report.report_no} answers request {report.request_id}, but the open "
                                f"request of household {self.case_id} is {r.check_request_id}",
                                rule="the report must answer the open request", status=409, field="request_id")
        return replace(self, current=replace(r, check_report=report))

    def ensure_reviewable(self, reviewer_id: str) -> Round:
        r = self._open_round()
        self.ensure_may_act(reviewer_id)
        if r.visit is None:
            raise DomainRefusal(f"household {self.case_id} has no home-visit record", rule=VISIT_RULE, status=409)
        if r.household is None or r.check_report is None:
            raise DomainRefusal(f"household {self.case_id} has no economic-check report yet", rule=REPORT_RULE,
                                status=409)
        if reviewer_id in {p.id for p in r.investigators}:
            raise DomainRefusal("the reviewer investigated this re-review", rule=SEPARATION_RULE, status=403)
        return r

    def complete(self, reviewer_id: str, proposal: Proposal, computed_eligible: bool, computed_amount: int,
                 on: dt.date, profile: HouseholdProfile, next_on: dt.date) -> "ReReview":
        """The reviewer signs the proposed outcome; the schedule follows from today with the household
        as now found."""
        r = self.ensure_reviewable(reviewer_id)
        stop = proposal.outcome is ReReviewOutcome.STOP
        if stop and proposal.amount_fen:
            raise DomainRefusal("a proposal to stop support proposes no amount", rule=OVERRIDE_RULE, status=422,
                                field="proposed_amount_fen")
        differs = stop == computed_eligible or (not stop and proposal.amount_fen != computed_amount)
        if differs and not (proposal.override_reason and proposal.override_reason.strip()):
            raise DomainRefusal(
                f"the computed result is {'eligible' if computed_eligible else 'not eligible'}, "
                f"{computed_amount} fen; the proposal differs, so override_reason is required",
                rule=OVERRIDE_RULE, status=422, field="override_reason")
        finished = Done(r.round, r.cause, r.opened_on, on, proposal.outcome, proposal.amount_fen, reviewer_id)
        return replace(self, status=ReReviewStatus.SCHEDULED, current=None, done=self.done + (finished,),
                       profile=profile, next_on=next_on)

    # --- from other services -----------------------------------------------------------------
    def lapsed(self) -> "ReReview":
        """Support ended: the schedule lapses, a re-review under way with it."""
        return replace(self, status=ReReviewStatus.LAPSED, next_on=None)

    def close_relative_flagged(self, staff_ids: tuple[str, ...]) -> "ReReview":
        return replace(self, recused=self.recused | set(staff_ids))
