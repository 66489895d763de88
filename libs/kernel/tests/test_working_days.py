import datetime as dt
import pytest

from jiuzhu_kernel.working_days import WorkingDayCalendar

D = dt.date


@pytest.fixture
def cal():
    return WorkingDayCalendar()


def test_start_day_is_not_counted(cal):
    # Tuesday 2022-03-01 + 1 working day = Wednesday 2022-03-02
    assert cal.add(D(2022, 3, 1), 1).due_on == D(2022, 3, 2)
    assert cal.add(D(2022, 3, 1), 0).due_on == D(2022, 3, 1)


def test_plain_weekend_is_skipped(cal):
    # Friday 2022-03-04 + 1 → Monday 2022-03-07
    assert cal.add(D(2022, 3, 4), 1).due_on == D(2022, 3, 7)


def test_spring_festival_2022_with_its_two_weekend_working_days(cal):
    # State Council notice: holiday 1-31 … 2-6; Saturday 1-29 and Sunday 1-30 are working days.
    assert cal.is_working_day(D(2022, 1, 29)) and cal.is_working_day(D(2022, 1, 30))
    assert not any(cal.is_working_day(D(2022, 1, 31) + dt.timedelta(days=i)) for i in range(7))
    # Accepted Thursday 1-27: day 1 = Fri 1-28, 2 = Sat 1-29, 3 = Sun 1-30, 4 = Mon 2-7
    assert cal.add(D(2022, 1, 27), 4).due_on == D(2022, 2, 7)
    # Urho's 10 working days of acceptance, from Friday 1-28: 1-29, 1-30, 2-7, 2-8, 2-9, 2-10, 2-11,
    # (weekend 2-12/13) 2-14, 2-15, 2-16
    assert cal.add(D(2022, 1, 28), 10).due_on == D(2022, 2, 16)
    assert cal.between(D(2022, 1, 28), D(2022, 2, 16)) == 10


def test_national_day_2022(cal):
    # Holiday 10-1 … 10-7; Saturday 10-8 and Sunday 10-9 are working days.
    assert cal.add(D(2022, 9, 30), 1).due_on == D(2022, 10, 8)
    # 7-working-day publicity opened Wednesday 9-28: 9-29, 9-30, 10-8, 10-9, 10-10, 10-11, 10-12
    assert cal.add(D(2022, 9, 28), 7).due_on == D(2022, 10, 12)


def test_unknown_year_is_provisional_not_silently_weekdays(cal, caplog):
    due = cal.add(D(2031, 6, 2), 3)
    assert due.provisional
    assert "provisional" in caplog.text
    assert not cal.add(D(2022, 6, 1), 3).provisional


def test_negative_period_is_refused(cal):
    with pytest.raises(ValueError):
        cal.add(D(2022, 3, 1), -1)
