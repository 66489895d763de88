"""The review of an ordinary temporary case proposes the amount by need (L18 §2(三)), a large amount
with its recorded reason (N22 §4 一事一议) and its tranches (L18 §2(四)) — checked by the kernel's
rules, as the assist-first decision is; refused with the field and the rule named."""

import pytest

from jiuzhu_kernel.district_config import TemporaryAssistance
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_verification.domain.investigation import Opinion
from jiuzhu_verification.domain.temporary_proposal import band_reasons, checked, review_band

CFG = TemporaryAssistance()  # 6 months the band, 3 months the large line, 3 tranches at most
STANDARD, PERSONS = 90_000, 2  # 900 元 × 2 persons: large above 5,400 元, at most 10,800 元
BAND = review_band("expenditure", STANDARD, PERSONS, CFG)


def opinion(amount=400_000, tranches=(), large=None, eligible=True) -> Opinion:
    return Opinion(eligible, amount, ("支出型困难属实",), None, tuple(tranches), large)


def refused(o: Opinion) -> DomainRefusal:
    with pytest.raises(DomainRefusal) as exc:
        checked(o, BAND, CFG)
    assert exc.value.status == 422
    return exc.value


def test_the_band_is_the_standard_times_persons_and_shown_in_the_computations_reasons():
    assert (BAND.max_fen, BAND.large_above_fen) == (1_080_000, 540_000)
    shown = band_reasons(BAND)
    assert "6个月×低保标准900.00元×2人=10800.00元" in shown[0] and "5400.00元" in shown[1]
    assert review_band(None, STANDARD, 3, CFG).max_fen == 6 * STANDARD * 3  # a case before kinds: the emergency band


def test_an_amount_by_need_in_two_tranches_is_signed_as_proposed():
    signed = checked(opinion(400_000, [(250_000, 0), (150_000, 30)], large="不是大额，理由不留"), BAND, CFG)
    assert signed.amount_fen == 400_000 and signed.tranches == ((250_000, 0), (150_000, 30))
    assert signed.large_amount_reason is None  # kept for a large amount only
    large = checked(opinion(700_000, large="重病住院，自付医疗费用高"), BAND, CFG)
    assert large.large_amount_reason == "重病住院，自付医疗费用高"


def test_refusals_name_the_field_and_the_rule():
    above = refused(opinion(1_080_001, large="重病住院，自付医疗费用高"))
    assert above.field == "proposed_amount_fen" and "L18 §2(三)" in above.rule
    assert refused(opinion(0)).field == "proposed_amount_fen"
    no_reason = refused(opinion(700_000))
    assert no_reason.field == "large_amount_reason" and "一事一议" in no_reason.rule
    not_summing = refused(opinion(400_000, [(200_000, 0), (100_000, 30)]))
    assert not_summing.field == "tranches" and "L18 §2(四)" in not_summing.rule
    too_many = refused(opinion(400_000, [(100_000, 0), (100_000, 10), (100_000, 20), (100_000, 30)]))
    assert too_many.field == "tranches" and "max_tranches" in too_many.rule
    first_later = refused(opinion(400_000, [(200_000, 5), (200_000, 30)]))
    assert first_later.field == "tranches.0.after_days"
    same_day = refused(opinion(400_000, [(200_000, 0), (200_000, 0)]))
    assert same_day.field == "tranches" and "later" in same_day.rule
    assert refused(opinion(0, [(1, 0)], eligible=False)).field == "tranches"
