"""The review's proposal for an ordinary temporary case (临时救助; L18 §2(三)–(四), N22 §4; issue 16
item 1): the amount by need within the band of the dibao standard × the household's persons, a large
amount with its recorded case-by-case reason, and the tranches — checked by the same kernel rules as
the assist-first decision (``jiuzhu_kernel.temporary_assistance``).

The review comes before publicity, so the decision's day is not known: a proposed tranche is dated
in calendar days after the decision (the first on the decision's day, ``after_days`` 0); the
decision dates them. Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts.base import TemporaryKind
from jiuzhu_contracts.money import yuan
from jiuzhu_kernel.district_config import TemporaryAssistance
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_kernel.temporary_assistance import TRANCHE_RULE, Band, amount_problems, band, is_large, tranche_problems

from jiuzhu_verification.domain.investigation import Opinion


def review_band(kind: str | None, standard_fen: int, persons: int, cfg: TemporaryAssistance) -> Band:
    """The band of this household. A case accepted before kinds were recorded takes the emergency band."""
    return band(TemporaryKind(kind) if kind else TemporaryKind.EMERGENCY, standard_fen, persons, cfg)


def band_reasons(b: Band) -> tuple[str, ...]:
    """What the computation shows the reviewer: the band, and where a large amount begins."""
    per_month = b.standard_fen * b.persons
    return (f"按需确定救助金额，上限{b.max_fen // per_month}个月×低保标准{yuan(b.standard_fen)}元×{b.persons}人"
            f"={yuan(b.max_fen)}元（L18 §2(三)）",
            f"超过{yuan(b.large_above_fen)}元属大额，须一事一议并记录理由（N22 §4）")


def proposal_problems(opinion: Opinion, b: Band, cfg: TemporaryAssistance) -> list[dict]:
    """An eligible opinion: the amount within the band, a large one with its reason, the tranches
    adding up (at most ``max_tranches``, the first on the decision's day, each later one later).
    An ineligible opinion proposes no tranches."""
    if not opinion.eligible:
        return [{"field": "tranches", "rule": f"不符合条件的审核意见不拟分次发放 / an ineligible opinion proposes no "
                                              f"tranches ({TRANCHE_RULE})"}] if opinion.tranches else []
    problems = [{**p, "field": "proposed_amount_fen"} if p["field"] == "amount_fen" else p
                for p in amount_problems(opinion.amount_fen, b, opinion.large_amount_reason)]
    if opinion.tranches and opinion.tranches[0][1] != 0:
        problems.append({"field": "tranches.0.after_days", "rule": "首次发放于决定当日（after_days 为0） / the first "
                                                                  f"tranche is payable on the decision's day ({TRANCHE_RULE})"})
    day = dt.date(2000, 1, 1)  # any day: the rules compare days after the decision
    dated = [(a, day + dt.timedelta(days=d)) for a, d in opinion.tranches]
    if dated:
        dated[0] = (dated[0][0], day)  # its own problem above, not reported twice
    return problems + tranche_problems(opinion.amount_fen, dated, day, cfg)


def checked(opinion: Opinion, b: Band, cfg: TemporaryAssistance) -> Opinion:
    """The opinion as signed, or a 422 naming the first invalid field and its rule. The reason is kept
    for a large amount only (as the assist-first decision keeps it)."""
    problems = proposal_problems(opinion, b, cfg)
    if problems:
        raise DomainRefusal("临时救助审核意见有不符合规定的项目 / the temporary-assistance review has invalid fields",
                            rule=problems[0]["rule"], status=422, field=problems[0]["field"],
                            details={"errors": problems})
    large = opinion.eligible and is_large(opinion.amount_fen, b)
    return Opinion(opinion.eligible, opinion.amount_fen, opinion.reasons, opinion.override_reason,
                   opinion.tranches, opinion.large_amount_reason if large else None)
