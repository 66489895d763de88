"""Working days left and the colour of a worklist line (plan 五: periods in working days)."""

import datetime as dt

from jiuzhu_kernel.working_days import WorkingDayCalendar

from jiuzhu_console.domain.urgency import Urgency, deadline

CAL = WorkingDayCalendar()
FRI = dt.date(2022, 3, 4)  # a Friday


def test_overdue_counts_the_working_days_since_the_due_date():
    d = deadline("2022-03-03", FRI, CAL)
    assert (d.urgency, d.working_days_left, d.text) == (Urgency.OVERDUE, -1, "超期 1 个工作日")


def test_due_today():
    assert deadline(FRI, FRI, CAL).urgency is Urgency.DUE_TODAY


def test_the_weekend_does_not_count():
    d = deadline(dt.date(2022, 3, 8), FRI, CAL)  # Tuesday: Monday and Tuesday are the two left
    assert (d.urgency, d.working_days_left) == (Urgency.DUE_SOON, 2)


def test_later_and_no_deadline():
    assert deadline("2022-03-15", FRI, CAL).urgency is Urgency.LATER
    assert deadline(None, FRI, CAL).urgency is Urgency.NO_DEADLINE


def test_national_holidays_do_not_count():
    # Qingming 2022: 3–5 April off, 2 April (Saturday) a working day.
    d = deadline(dt.date(2022, 4, 6), dt.date(2022, 4, 1), CAL)
    assert d.working_days_left == 2


def test_most_urgent_sorts_first():
    assert sorted([Urgency.LATER, Urgency.OVERDUE, Urgency.DUE_SOON, Urgency.DUE_TODAY]) == [
        Urgency.OVERDUE, Urgency.DUE_TODAY, Urgency.DUE_SOON, Urgency.LATER]
