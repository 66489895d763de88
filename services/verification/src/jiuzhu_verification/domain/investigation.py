"""The investigation and review of one case (plan 五(二)), as a plain aggregate.

Its methods enforce the procedure's prerequisites and return nothing but the new state; the
service layer turns the changes into events. No I/O, no clock: dates are given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from jiuzhu_contracts.base import Area, Category, Due
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.tekun import TekunPerson
from jiuzhu_kernel.refusal import DomainRefusal

RECUSAL_RULE = "D21 art. 11 / plan 四(二)3 近亲属备案: a registered close relative's staff member may not act"
TEAM_RULE = "D21 art. 16: the home visit is made by at least two staff"
VISIT_RULE = "plan 六(二): 100 % home visit — no review without a home-visit record"
REPORT_RULE = "plan 五(二): the economic-check report must be in hand before the review is signed"
APPRAISAL_RULE = "plan 五(二): a disputed case goes to democratic appraisal before review"
SEPARATION_RULE = "谁调查、谁签字、谁负责: the reviewer must not be one of the case's investigators"
OVERRIDE_RULE = "a review that differs from the computed result must give its reason"
STATE_RULE = "the case is not at a stage where this can be done"


class Status(StrEnum):
    """Where the investigation stands (the stored and API values are these strings)."""

    INVESTIGATING = "investigating"
    REVIEWED = "reviewed"
    REINVESTIGATING = "reinvestigating"
    WITHDRAWN = "withdrawn"
    DEEMED_WITHDRAWN = "deemed_withdrawn"
    CLOSED = "closed"


OPEN = (Status.INVESTIGATING, Status.REINVESTIGATING)
ENDED = (Status.WITHDRAWN, Status.DEEMED_WITHDRAWN, Status.CLOSED)


class Clock(StrEnum):
    """The deadline the case is running against here, if any (the work list sorts by it)."""

    INVESTIGATION = "investigation"  # from acceptance to the home visit (plan 五(二))
    REVIEW = "review"  # from the home visit to the signed review (plan 五(二))
    REINVESTIGATION = "reinvestigation"  # after an objection during publicity (plan 五(三))


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True)
class Visit:
    visited_on: dt.date
    investigators: tuple[Person, ...]
    living_conditions: str
    findings: str
    household_signed: bool


@dataclass(frozen=True)
class CheckReport:
    request_id: str
    report_no: str
    reported_on: dt.date
    monthly_income_fen: int
    countable_assets_fen: int
    findings: str


@dataclass(frozen=True)
class Appraisal:
    held_on: dt.date
    participants: tuple[str, ...]
    result: str
    minutes: str


@dataclass(frozen=True)
class Household:
    size: int
    monthly_income_fen: int  # sum of recorded incomes
    countable_assets_fen: int  # non-exempt recorded assets
    facts: dict[str, str]
    # Who the members are and where the income comes from: the re-review's schedule follows them
    # (D21 art. 31, domain/re_review_schedule.py). Empty in a state stored before they were kept.
    members: tuple[Member, ...] = ()
    income_kinds: tuple[str, ...] = ()
    # 特困: the tekun persons, each assessed (T21 art. 5, 21–23). Empty for another category and in a
    # state stored before they were kept (then the review counts every member, without care support).
    tekun_persons: tuple[TekunPerson, ...] = ()


@dataclass(frozen=True)
class Reinvestigation:
    opened_on: dt.date
    objection_ids: tuple[str, ...]
    due: Due
    completed_on: dt.date | None = None
    objection_upheld: bool | None = None
    investigators: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Opinion:
    """What the reviewer signs."""

    eligible: bool
    amount_fen: int
    reasons: tuple[str, ...]
    override_reason: str | None = None
    # 临时救助 (L18 §2(三)–(四)): (amount fen, days after the decision) per tranche — none: one tranche
    # on the decision's day — and the large amount's recorded reason (temporary_proposal.py checks them).
    tranches: tuple[tuple[int, int], ...] = ()
    large_amount_reason: str | None = None


@dataclass(frozen=True)
class Investigation:
    case_id: str
    category: Category
    area: Area
    committee: str
    applicant_name: str
    accepted_on: dt.date
    member_id_numbers: tuple[str, ...]
    recused: frozenset[str] = frozenset()
    status: Status = Status.INVESTIGATING
    visit: Visit | None = None
    household: Household | None = None
    check_request_id: str | None = None
    check_report: CheckReport | None = None
    disputed: bool = False
    appraisal: Appraisal | None = None
    review_round: int = 0
    reinvestigation: Reinvestigation | None = None
    last_opinion: Opinion | None = None
    reviewed_on: dt.date | None = None
    reviewer_id: str | None = None
    history: tuple[str, ...] = field(default=())
    next_clock: Clock | None = None  # the running deadline: set and cleared by the methods below
    next_due: dt.date | None = None
    temporary_kind: str | None = None  # TemporaryKind of a temporary case (None: accepted before kinds)

    @classmethod
    def opened(cls, *, case_id: str, category: Category, area: Area, committee: str, applicant_name: str,
               accepted_on: dt.date, member_id_numbers: tuple[str, ...], recused: frozenset[str],
               investigation_due: Due, temporary_kind: str | None = None) -> "Investigation":
        """The investigation task the acceptance opens, due as the acceptance says."""
        return cls(case_id=case_id, category=category, area=area, committee=committee,
                   applicant_name=applicant_name, accepted_on=accepted_on, member_id_numbers=member_id_numbers,
                   recused=recused, next_clock=Clock.INVESTIGATION, next_due=investigation_due.due_on,
                   temporary_kind=temporary_kind)

    # --- guards ------------------------------------------------------------------------------
    def ensure_may_act(self, person_id: str) -> None:
        if person_id in self.recused:
            raise DomainRefusal(f"{person_id} is registered as a close relative's staff member for case "
                                f"{self.case_id} and must recuse", rule=RECUSAL_RULE, status=403)

    def _ensure_open(self, *allowed: Status) -> None:
        if self.status not in allowed:
            raise DomainRefusal(f"case {self.case_id} is {self.status}", rule=STATE_RULE, status=409)

    @property
    def investigators(self) -> tuple[Person, ...]:
        """Everyone who investigated the case, in any round: none of them may review it."""
        people = list(self.visit.investigators if self.visit else ())
        if self.reinvestigation:
            people += [p for p in self.reinvestigation.investigators if p.id not in {q.id for q in people}]
        return tuple(people)

    # --- investigation -----------------------------------------------------------------------
    def record_visit(self, visit: Visit, review_due: Due) -> "Investigation":
        """The home visit, which starts the review's clock."""
        self._ensure_open(*OPEN)
        if len({p.id for p in visit.investigators}) < 2:
            raise DomainRefusal("a home visit needs at least two different investigators", rule=TEAM_RULE,
                                status=422, field="investigators")
        for person in visit.investigators:
            self.ensure_may_act(person.id)
        if visit.visited_on < self.accepted_on:
            raise DomainRefusal("the visit cannot be before the acceptance", rule=STATE_RULE, status=422,
                                field="visited_on")
        return replace(self, visit=visit, next_clock=Clock.REVIEW, next_due=review_due.due_on)

    def record_household(self, household: Household, request_id: str) -> "Investigation":
        self._ensure_open(*OPEN)
        return replace(self, household=household, check_request_id=request_id, check_report=None)

    def already_reported(self, report: CheckReport) -> bool:
        """The very report recorded once already: the check centre sends it again when its
        acknowledgement was lost (its NATS server went down mid-way). Nothing to do, at any stage."""
        return self.check_report == report

    def record_check_report(self, report: CheckReport) -> "Investigation":
        if report.request_id != self.check_request_id:
            raise DomainRefusal(f"report {report.report_no} answers request {report.request_id}, but the open "
                                f"request of case {self.case_id} is {self.check_request_id}",
                                rule="the report must answer the open request", status=409, field="request_id")
        self._ensure_open(*OPEN)
        return replace(self, check_report=report)

    def mark_disputed(self) -> "Investigation":
        self._ensure_open(*OPEN)
        return replace(self, disputed=True)

    def record_appraisal(self, appraisal: Appraisal) -> "Investigation":
        self._ensure_open(*OPEN)
        return replace(self, appraisal=appraisal, disputed=True)

    def deem_withdrawn(self) -> "Investigation":
        """视为放弃申请: the household refused to cooperate (plan 五(一))."""
        self._ensure_open(*OPEN)
        return replace(self, status=Status.DEEMED_WITHDRAWN, next_clock=None, next_due=None)

    # --- review ------------------------------------------------------------------------------
    def means(self) -> tuple[int, int]:
        """Income and countable assets to assess: the larger of what investigators recorded and what
        the check centre found, so that no evidence of means is ignored."""
        assert self.household and self.check_report
        return (max(self.household.monthly_income_fen, self.check_report.monthly_income_fen),
                max(self.household.countable_assets_fen, self.check_report.countable_assets_fen))

    def ensure_reviewable(self, reviewer_id: str) -> None:
        self._ensure_open(*OPEN)
        self.ensure_may_act(reviewer_id)
        if self.visit is None:
            raise DomainRefusal(f"case {self.case_id} has no home-visit record", rule=VISIT_RULE, status=409)
        if self.household is None or self.check_report is None:
            raise DomainRefusal(f"case {self.case_id} has no economic-check report yet", rule=REPORT_RULE,
                                status=409)
        if self.disputed and self.appraisal is None:
            raise DomainRefusal(f"case {self.case_id} is disputed and has no democratic appraisal",
                                rule=APPRAISAL_RULE, status=409)
        if reviewer_id in {p.id for p in self.investigators}:
            raise DomainRefusal("the reviewer investigated this case", rule=SEPARATION_RULE, status=403)
        if self.status == Status.REINVESTIGATING and (self.reinvestigation is None
                                                 or self.reinvestigation.completed_on is None):
            raise DomainRefusal("the re-investigation must be completed before the new review",
                                rule="plan 五(三): 重新组织调查核实", status=409)

    def sign_review(self, reviewer_id: str, opinion: Opinion, computed_eligible: bool, computed_amount: int,
                    signed_on: dt.date) -> "Investigation":
        self.ensure_reviewable(reviewer_id)
        # 临时救助: the amount is set by need within the band (temporary_proposal.py), not computed — only
        # an opinion on eligibility that differs from the computation needs its reason.
        by_need = self.category == Category.TEMPORARY
        differs = opinion.eligible != computed_eligible or (opinion.eligible and not by_need
                                                            and opinion.amount_fen != computed_amount)
        if differs and not (opinion.override_reason and opinion.override_reason.strip()):
            raise DomainRefusal(
                f"the computed result is {'eligible' if computed_eligible else 'not eligible'}, "
                f"{computed_amount} fen; the opinion differs, so override_reason is required",
                rule=OVERRIDE_RULE, status=422, field="override_reason")
        if not opinion.eligible and opinion.amount_fen:
            raise DomainRefusal("an ineligible opinion proposes no amount", rule=OVERRIDE_RULE, status=422,
                                field="proposed_amount_fen")
        return replace(self, status=Status.REVIEWED, review_round=self.review_round + 1, last_opinion=opinion,
                       reviewed_on=signed_on, reviewer_id=reviewer_id, next_clock=None, next_due=None)

    # --- objection during publicity ----------------------------------------------------------
    def open_reinvestigation(self, opened_on: dt.date, objection_ids: tuple[str, ...], due: Due) -> "Investigation":
        self._ensure_open(Status.REVIEWED)
        return replace(self, status=Status.REINVESTIGATING,
                       reinvestigation=Reinvestigation(opened_on, objection_ids, due),
                       next_clock=Clock.REINVESTIGATION, next_due=due.due_on)

    def complete_reinvestigation(self, completed_on: dt.date, objection_upheld: bool,
                                 investigators: tuple[Person, ...]) -> "Investigation":
        self._ensure_open(Status.REINVESTIGATING)
        if self.reinvestigation is None or self.reinvestigation.completed_on:
            raise DomainRefusal("no open re-investigation", rule=STATE_RULE, status=409)
        if len({p.id for p in investigators}) < 2:
            raise DomainRefusal("a re-investigation needs at least two investigators", rule=TEAM_RULE,
                                status=422, field="investigators")
        for person in investigators:
            self.ensure_may_act(person.id)
        return replace(self, reinvestigation=replace(self.reinvestigation, completed_on=completed_on,
                                                     objection_upheld=objection_upheld, investigators=investigators))

    def withdrawn(self) -> "Investigation":
        """The applicant withdrew at the window; a case already ended stays as it ended."""
        return self._end(Status.WITHDRAWN)

    def decided(self) -> "Investigation":
        """The decision is made (approved or refused): nothing more to investigate."""
        return self._end(Status.CLOSED)

    def _end(self, status: Status) -> "Investigation":
        if self.status in ENDED:
            return self
        return replace(self, status=status, next_clock=None, next_due=None)

    def close_relative_flagged(self, staff_ids: tuple[str, ...]) -> "Investigation":
        """近亲属备案 after acceptance (D21 art. 11): these staff members recuse from now on."""
        return replace(self, recused=self.recused | set(staff_ids))
