"""One case at the decision stage (plan 五(三)): what the leader may decide, and when.

* After a clean publicity of the latest eligible review: approve or refuse, within 3 working days.
* After an objection: wait for the re-investigation's new review; a proposed approval goes back to
  publicity first; the decision within 15 working days of the objected window.
* A review finding the household ineligible leads to a refusal decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from jiuzhu_contracts.base import Category, Due
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.domain.temporary_grant import TemporaryGrant

RECUSAL_RULE = "D21 art. 11 / plan 四(二)3 近亲属备案: a registered close relative's staff member may not decide"
SEPARATION_RULE = ("乌尔禾区工作方案 一: 谁调查、谁签字、谁负责 — 调查、审核与审批相分离 / separation of duties: "
                   "whoever investigated or reviewed a case may not decide it")
READY_RULE = "plan 五(三): decide after a clean publicity of an eligible review, or on an ineligible review"
NOTICE_RULE = "plan 五(三): 不予批准的，3个工作日内书面通知居（村）民委员会转告申请人并说明理由"


class CaseStatus(StrEnum):
    """Where the case stands at the decision stage (stored and answered as these words)."""
    IN_PROCEDURE = "in_procedure"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"  # by the applicant, or deemed withdrawn, before the decision
    ENDED = "ended"  # support ended after an approval (D21 art. 32)


class PublicityState(StrEnum):
    """What publicity has told us about the latest review's notice."""
    NONE = "none"
    OPEN = "open"
    CLEAN = "clean"  # the window closed with no objection
    OBJECTED = "objected"  # objections were raised: re-investigation, then a new review


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True)
class Review:
    round: int
    signed_on: dt.date
    eligible: bool
    amount_fen: int
    reasons: tuple[str, ...]
    reviewer: Person
    investigators: tuple[Person, ...]
    monthly_income_fen: int | None = None  # the household's counted income (a standard raise recomputes from it); None: not kept
    # 特困: the self-care level of each tekun person reviewed (T21 art. 5, 21–23) — a raise recomputes
    # each person's basic living + care from them; None: not kept (a review before persons were recorded).
    tekun_levels: tuple[str, ...] | None = None
    # 临时救助 (L18 §2(三)–(四)): the proposed tranches, (amount fen, days after the decision) — none: one
    # tranche on the decision's day — and a large amount's recorded reason.
    tranches: tuple[tuple[int, int], ...] = ()
    large_amount_reason: str | None = None


@dataclass(frozen=True)
class Decision:
    approved: bool
    decided_on: dt.date
    signer: Person
    body: str
    amount_fen: int
    reasons: tuple[str, ...]
    first_month_paid: str | None


@dataclass(frozen=True)
class RefusalNotice:
    notice_no: str
    due: Due
    delivered_on: dt.date | None = None
    received_by: str | None = None


@dataclass(frozen=True)
class DecisionCase:
    case_id: str
    category: Category
    committee: str
    applicant_name: str
    household_size: int
    accepted_on: dt.date
    materials: tuple[str, ...]
    member_id_numbers: tuple[str, ...]
    payment_account: str
    recused: frozenset[str] = frozenset()
    area: str | None = None  # Area: the standard its amount is computed on (urban or rural); None: not kept
    investigated_by: frozenset[str] = frozenset()  # every investigator of every visit, partner included
    reviewed_by: frozenset[str] = frozenset()  # every reviewer of every round
    status: CaseStatus = CaseStatus.IN_PROCEDURE
    visited_on: dt.date | None = None
    review: Review | None = None
    publicity: PublicityState = PublicityState.NONE
    clean_review_round: int = 0  # the review round whose notice closed clean
    objections: int = 0
    decision_due: Due | None = None
    decision: Decision | None = None
    refusal_notice: RefusalNotice | None = None
    temporary_kind: str | None = None  # TemporaryKind of a temporary case (issue 16 item 1)
    grant: TemporaryGrant | None = None  # what a temporary approval grants: amount, tranches, assist-first

    def ensure_may_act(self, person_id: str) -> None:
        """近亲属回避: the case store asks this before any person's command on the case."""
        if person_id in self.recused:
            raise DomainRefusal(f"{person_id} 是本案家庭成员的近亲属备案工作人员，应当回避 / {person_id} is registered "
                                f"as a close relative's staff member for case {self.case_id} and must recuse",
                                rule=RECUSAL_RULE, status=403)

    def ensure_independent(self, person_id: str) -> None:
        """谁调查、谁签字、谁负责: the one who decides is not one who investigated or reviewed."""
        review = self.review
        investigated = self.investigated_by | {p.id for p in (review.investigators if review else ())}
        reviewed = self.reviewed_by | ({review.reviewer.id} if review else set())
        duty = (("入户调查", "investigated (home visit)") if person_id in investigated
                else ("审核", "reviewed") if person_id in reviewed else None)
        if duty:
            raise DomainRefusal(f"{person_id} 参与了案件 {self.case_id} 的{duty[0]}，不得作出审核确认决定 / "
                                f"{person_id} {duty[1]} case {self.case_id} and may not decide it",
                                rule=SEPARATION_RULE, status=403)

    # --- what the other stages tell us --------------------------------------------------------
    def visited(self, visited_on: dt.date, investigators: tuple[str, ...]) -> "DecisionCase":
        return replace(self, visited_on=visited_on, investigated_by=self.investigated_by | set(investigators))

    def reinvestigated(self, investigators: tuple[str, ...]) -> "DecisionCase":
        return replace(self, investigated_by=self.investigated_by | set(investigators))

    def close_relative_flagged(self, staff_ids: tuple[str, ...]) -> "DecisionCase":
        """近亲属备案 after acceptance: these staff members recuse from now on."""
        return replace(self, recused=self.recused | set(staff_ids))

    def reviewed(self, review: Review, ineligible_due: Due | None) -> "DecisionCase":
        changes = {"review": review, "reviewed_by": self.reviewed_by | {review.reviewer.id},
                   "investigated_by": self.investigated_by | {p.id for p in review.investigators}}
        if not review.eligible:
            changes["decision_due"] = self._keep_binding(ineligible_due)
        return replace(self, **changes)

    def _keep_binding(self, due: Due | None) -> Due | None:
        """An objection's 15-day limit is never extended by a later clock."""
        if self.decision_due and self.publicity == PublicityState.OBJECTED and due and self.decision_due.due_on < due.due_on:
            return self.decision_due
        return due

    def publicity_opened(self) -> "DecisionCase":
        return replace(self, publicity=PublicityState.OPEN)

    def objection_raised(self) -> "DecisionCase":
        """Counted for the filing (plan 五(四)); the outcome comes with the window's close."""
        return replace(self, objections=self.objections + 1)

    def publicity_closed(self, outcome: str, decision_due: Due) -> "DecisionCase":
        outcome = PublicityState(outcome)
        if outcome not in (PublicityState.CLEAN, PublicityState.OBJECTED):
            raise ValueError(f"a window closes clean or objected, not {outcome}")
        changes = {"publicity": outcome, "decision_due": decision_due}
        if outcome == PublicityState.CLEAN and self.review:
            changes["clean_review_round"] = self.review.round
        return replace(self, **changes)

    def withdrawn(self) -> "DecisionCase":
        """An application withdrawn (or deemed withdrawn) before the decision leaves the procedure;
        after the decision it changes nothing here."""
        if self.status != CaseStatus.IN_PROCEDURE:
            return self
        return replace(self, status=CaseStatus.WITHDRAWN)

    # --- the decision -------------------------------------------------------------------------
    def options(self) -> tuple[bool, bool]:
        """(may approve, may refuse) now."""
        if self.status != CaseStatus.IN_PROCEDURE or self.review is None:
            return False, False
        if not self.review.eligible:
            return False, True
        if self.clean_review_round == self.review.round:
            return True, True
        return False, False

    def decide(self, approve: bool, on: dt.date, signer: Person, body: str, reasons: tuple[str, ...],
               notice: RefusalNotice | None, *, separate_duties: bool = True) -> "DecisionCase":
        self.ensure_may_act(signer.id)
        if separate_duties:  # district configuration: separation_of_duties
            self.ensure_independent(signer.id)
        may_approve, may_refuse = self.options()
        if approve and not may_approve:
            why = ("the case is not in procedure" if self.status != CaseStatus.IN_PROCEDURE
                   else "there is no review yet" if self.review is None
                   else "the latest review found the household ineligible" if not self.review.eligible
                   else "the latest review has not yet passed a clean publicity")
            raise DomainRefusal(f"case {self.case_id} cannot be approved now: {why}", rule=READY_RULE, status=409)
        if not approve and not may_refuse:
            raise DomainRefusal(f"case {self.case_id} cannot be decided now (status {self.status}, publicity "
                                f"{self.publicity})", rule=READY_RULE, status=409)
        if not approve and not reasons:
            raise DomainRefusal("a refusal states its reasons", rule=NOTICE_RULE, status=422, field="reasons")
        amount = self.review.amount_fen if approve else 0
        first_month = None
        if approve:
            nxt = dt.date(on.year + on.month // 12, on.month % 12 + 1, 1)  # D21 art. 21, 25: from the next month
            first_month = f"{nxt.year}-{nxt.month:02d}"
        decision = Decision(approve, on, signer, body, amount, reasons, first_month)
        return replace(self, status=CaseStatus.DECIDED, decision=decision, refusal_notice=None if approve else notice)

    def deliver_refusal_notice(self, delivered_on: dt.date, received_by: str) -> "DecisionCase":
        if self.refusal_notice is None:
            raise DomainRefusal(f"case {self.case_id} has no refusal notice", rule=NOTICE_RULE, status=409)
        if self.refusal_notice.delivered_on:
            raise DomainRefusal(f"the refusal notice {self.refusal_notice.notice_no} was delivered on "
                                f"{self.refusal_notice.delivered_on}", rule=NOTICE_RULE, status=409)
        if delivered_on < self.decision.decided_on:
            raise DomainRefusal("delivery cannot precede the decision", rule=NOTICE_RULE, status=422,
                                field="delivered_on")
        return replace(self, refusal_notice=replace(self.refusal_notice, delivered_on=delivered_on,
                                                    received_by=received_by))

    def end_support(self, signer: Person) -> "DecisionCase":
        self.ensure_may_act(signer.id)
        if self.status != CaseStatus.DECIDED or not self.decision or not self.decision.approved:
            raise DomainRefusal(f"case {self.case_id} is not an approved, supported household",
                                rule="D21 art. 32", status=409)
        return replace(self, status=CaseStatus.ENDED)
