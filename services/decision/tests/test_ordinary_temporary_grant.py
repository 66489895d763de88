"""An ordinary temporary decision (after review and publicity; issue 16 item 1) grants the review's
amount by need in the review's tranches, dated from the decision's day, with a large amount's reason."""

import datetime as dt
from dataclasses import replace

import pytest

from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.domain.assist_first import ordinary_grant
from jiuzhu_decision.domain.decision_case import CaseStatus, Decision

from .test_assist_first import temporary_case
from .test_authority_and_decision import CONFIG, D, LEADER, review

ON = D + dt.timedelta(days=20)


def decided(amount: int, tranches=(), large=None):
    r = replace(review(), amount_fen=amount, tranches=tuple(tranches), large_amount_reason=large)
    c = replace(temporary_case(temporary_kind="expenditure"), review=r, status=CaseStatus.DECIDED,
                decision=Decision(True, ON, LEADER, "jurisdiction", amount, (), None))
    return ordinary_grant(c, CONFIG.temporary)


def test_the_reviews_tranches_are_dated_from_the_decision():
    g = decided(400_000, [(250_000, 0), (150_000, 30)])
    assert [(t.no, t.amount_fen, t.payable_on) for t in g.tranches] == [
        (1, 250_000, ON), (2, 150_000, ON + dt.timedelta(days=30))]
    assert not g.assist_first and not g.large and g.kind == "expenditure"
    large = decided(700_000, large="重病住院，自付医疗费用高")
    assert large.large and large.large_amount_reason.startswith("重病")


def test_a_review_without_tranches_is_paid_once_on_the_decisions_day():
    g = decided(270_000)
    assert [(t.no, t.amount_fen, t.payable_on) for t in g.tranches] == [(1, 270_000, ON)]


def test_tranches_that_do_not_add_up_are_refused_not_paid():
    with pytest.raises(DomainRefusal) as exc:
        decided(400_000, [(100_000, 0), (100_000, 30)])
    assert exc.value.field == "tranches" and "L18 §2(四)" in exc.value.rule
