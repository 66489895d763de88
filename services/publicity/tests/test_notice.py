"""The notice aggregate: posted, objected to only inside its window while on the board, closed
clean or objected, taken down when the application is withdrawn (plan 五(三))."""

import datetime as dt

import pytest

from jiuzhu_contracts.base import Category
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_kernel.working_days import WorkingDayCalendar

from jiuzhu_publicity.domain import window
from jiuzhu_publicity.domain.notice import Notice, NoticeStatus, WindowOutcome

D = dt.date
CASE = "650205001-2022-00001"


def posted(round_no: int = 1) -> Notice:
    return Notice.post(CASE, round_no, committee="柳树街社区居民委员会", public_name="张三", household_size=2,
                       category=Category.DIBAO, amount_fen=120000, opens_on=D(2022, 3, 1),
                       closes=window.window(WorkingDayCalendar(), D(2022, 3, 1), 7))


def object_on(notice: Notice, day: dt.date, anonymous: bool = False):
    return notice.objection("YY-1", received_on=day, channel="web", anonymous=anonymous, summary="该户有车辆未申报",
                            contact="13800001111", recorded_by="public")


def test_a_notice_is_posted_open_with_its_round_in_its_number():
    notice = posted(2)
    assert (notice.notice_no, notice.status, notice.outcome) == (f"GS-{CASE}-2", NoticeStatus.OPEN, None)
    assert notice.closes_on == D(2022, 3, 10)


def test_objections_are_taken_inside_the_window_and_an_anonymous_one_keeps_no_contact():
    notice = posted()
    assert object_on(notice, D(2022, 3, 1)).contact == "13800001111"
    assert object_on(notice, D(2022, 3, 10), anonymous=True).contact is None
    for day in (D(2022, 2, 28), D(2022, 3, 11)):
        with pytest.raises(DomainRefusal) as refused:
            object_on(notice, day)
        assert refused.value.status == 409 and refused.value.field == "notice_no"
        assert refused.value.details == {"opens_on": "2022-03-01", "closes_on": "2022-03-10"}


def test_a_closed_or_withdrawn_notice_takes_no_objection_even_inside_its_dates():
    for notice in (posted().closed(objected=False), posted().withdrawn()):
        with pytest.raises(DomainRefusal, match="不在公示期内"):
            object_on(notice, D(2022, 3, 5))


def test_a_window_closes_once_clean_or_objected():
    notice = posted()
    assert not notice.has_ended(D(2022, 3, 10)) and notice.has_ended(D(2022, 3, 11))
    clean, objected = notice.closed(objected=False), notice.closed(objected=True)
    assert (clean.status, clean.outcome) == (NoticeStatus.CLOSED, WindowOutcome.CLEAN)
    assert objected.outcome == "objected" and not objected.has_ended(D(2022, 3, 11))
    with pytest.raises(ValueError):
        clean.closed(objected=True)


def test_a_withdrawal_takes_down_only_an_open_notice():
    assert posted().withdrawn().status == NoticeStatus.WITHDRAWN
    clean = posted().closed(objected=False)
    assert clean.withdrawn() is clean
    assert [s.value for s in NoticeStatus] == ["open", "closed", "withdrawn"]  # the words stored in notices.status
