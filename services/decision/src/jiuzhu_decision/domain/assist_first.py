"""先行救助 (L18 §2(二)2, N22 §4; issue 16 item 1): for an emergency, whoever holds the decision
authority decides at once, with the amount by need and its tranches; the means check and publicity
are completed afterwards — or skipped below the configured amount. The same person checks as for
any decision apply (recusal first, then separation of duties); the authority is the caller's
(``authority.check_decider``), checked by the service before this."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from jiuzhu_contracts.base import Category, Due, TemporaryKind
from jiuzhu_kernel.district_config import TemporaryAssistance
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_kernel.temporary_assistance import (
    ASSIST_FIRST_RULE,
    COMPLETE_AFTERWARDS,
    amount_problems,
    assist_first_problem,
    band,
    follow_up,
    is_large,
    planned_tranches,
    tranche_problems,
)

from jiuzhu_decision.domain.decision_case import CaseStatus, Decision, DecisionCase, Person
from jiuzhu_decision.domain.temporary_grant import PlannedTranche, TemporaryGrant

REASONS_RULE = "L18 §2(二)2: 先行救助应记录急难情形 / an assist-first decision records the emergency"


def _refuse(problems: list[dict]) -> None:
    if problems:
        raise DomainRefusal("临时救助决定有不符合规定的项目 / the temporary-assistance decision has invalid fields",
                            rule=problems[0]["rule"], status=422, field=problems[0]["field"],
                            details={"errors": problems})


def ensure_may_assist_first(case: DecisionCase) -> None:
    """Only a temporary emergency case still before its review (after it, the ordinary decision)."""
    if case.category != Category.TEMPORARY:
        raise DomainRefusal(f"case {case.case_id} is {case.category.value}, not temporary assistance",
                            rule=ASSIST_FIRST_RULE, status=409, field="category")
    _refuse([p for p in [assist_first_problem(TemporaryKind(case.temporary_kind) if case.temporary_kind else None)]
             if p])
    if case.status != CaseStatus.IN_PROCEDURE or case.decision is not None:
        raise DomainRefusal(f"case {case.case_id} is {case.status.value}; it was decided or left the procedure",
                            rule=ASSIST_FIRST_RULE, status=409)
    if case.review is not None:
        raise DomainRefusal(f"case {case.case_id} has a signed review: it is decided after its publicity, as usual",
                            rule=ASSIST_FIRST_RULE, status=409)


def assist_first(case: DecisionCase, *, on: dt.date, signer: Person, body: str, amount_fen: int,
                 tranches: Sequence[tuple[int, dt.date]], reasons: tuple[str, ...], large_amount_reason: str | None,
                 standard_fen: int, cfg: TemporaryAssistance, follow_up_due: Due | None,
                 separate_duties: bool = True) -> DecisionCase:
    """The decision at once. ``follow_up_due``: by when the steps completed afterwards are due (the
    service computes it; ignored when they are skipped)."""
    case.ensure_may_act(signer.id)
    if separate_duties:
        case.ensure_independent(signer.id)
    ensure_may_assist_first(case)
    b = band(TemporaryKind(case.temporary_kind), standard_fen, case.household_size, cfg)
    problems = amount_problems(amount_fen, b, large_amount_reason) + tranche_problems(amount_fen, tranches, on, cfg)
    if not [r for r in reasons if r.strip()]:
        problems.append({"field": "reasons", "rule": f"须写明急难情形 / state the emergency ({REASONS_RULE})"})
    _refuse(problems)
    then = follow_up(amount_fen, cfg)
    grant = TemporaryGrant(
        kind=case.temporary_kind, amount_fen=amount_fen,
        tranches=tuple(PlannedTranche(n, a, d) for n, a, d in planned_tranches(amount_fen, tranches, on)),
        assist_first=True, follow_up=then, follow_up_due=follow_up_due if then == COMPLETE_AFTERWARDS else None,
        large=is_large(amount_fen, b), large_amount_reason=large_amount_reason if is_large(amount_fen, b) else None)
    decision = Decision(True, on, signer, body, amount_fen, reasons, f"{on.year}-{on.month:02d}")
    return replace(case, status=CaseStatus.DECIDED, decision=decision, grant=grant)


def ordinary_grant(case: DecisionCase, cfg: TemporaryAssistance) -> TemporaryGrant:
    """A temporary case decided the ordinary way (after its review and publicity): the review's amount
    by need in the review's tranches, each dated that many days after the decision (one tranche on the
    decision's day when it proposed none), and a large amount's recorded reason. The review checked
    them against the band and the tranche rules (verification's temporary_proposal); they are dated
    here and checked again, so a review that somehow carries bad tranches is refused, not paid."""
    d, r = case.decision, case.review
    dated = [(a, d.decided_on + dt.timedelta(days=days)) for a, days in r.tranches]
    _refuse(tranche_problems(d.amount_fen, dated, d.decided_on, cfg))
    return TemporaryGrant(kind=case.temporary_kind, amount_fen=d.amount_fen,
                          tranches=tuple(PlannedTranche(n, a, on)
                                         for n, a, on in planned_tranches(d.amount_fen, dated, d.decided_on)),
                          large=r.large_amount_reason is not None, large_amount_reason=r.large_amount_reason)
