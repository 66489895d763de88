"""Holiday files: a national year, a region's own holidays on top, the rules a file must follow."""

import datetime as dt
import json
from pathlib import Path

import pytest

from jiuzhu_contracts.holiday_calendar import HolidayFile
from jiuzhu_kernel import holiday_files
from jiuzhu_kernel.working_days import WorkingDayCalendar

D = dt.date
XINJIANG = Path(__file__).resolve().parents[3] / "config" / "holidays" / "xinjiang"


def national_2027(**changes) -> HolidayFile:
    """A test fixture in the shape of the State Council's notice — NOT the real 2027 notice."""
    body = {"format": "jiuzhu.holidays/1", "year": 2027, "scope": "national",
            "source": {"issuer": "国务院办公厅", "title": "测试用：2027年部分节假日安排（虚构）"},
            "holidays": [{"name": "元旦", "from": "2027-01-01"}, {"name": "春节", "from": "2027-02-05", "to": "2027-02-11"}],
            "workdays": [{"name": "春节调休上班", "date": "2027-02-13"}]} | changes
    return HolidayFile.model_validate(body)


def test_2027_without_a_file_is_weekdays_and_provisional():
    cal = WorkingDayCalendar()
    assert cal.is_working_day(D(2027, 1, 1)) and cal.is_working_day(D(2027, 2, 8))  # New Year, Spring Festival
    due = cal.add(D(2027, 2, 3), 3)
    assert due.due_on == D(2027, 2, 8) and due.provisional


def test_a_national_file_makes_the_year_known_and_moves_the_deadline_over_the_spring_festival():
    cal = WorkingDayCalendar()
    cal.load(national_2027())
    assert not cal.is_working_day(D(2027, 1, 1)) and not cal.is_working_day(D(2027, 2, 8))
    assert cal.is_working_day(D(2027, 2, 13))  # a Saturday made a working day
    assert not cal.is_working_day(D(2027, 2, 14))  # a plain Sunday
    # Wed 2-3 + 3: Thu 2-4, (holiday 2-5 … 2-11) Fri 2-12, Sat 2-13 (调休)
    due = cal.add(D(2027, 2, 3), 3)
    assert (due.due_on, due.provisional) == (D(2027, 2, 13), False)


def test_a_deadline_counted_before_a_file_arrives_is_counted_again_with_it():
    """The calendar remembers each day's answer; loading a file makes it forget them."""
    cal = WorkingDayCalendar()
    assert cal.add(D(2027, 2, 3), 3) == type(cal.add(D(2027, 2, 3), 3))(D(2027, 2, 8), True)
    assert cal.between(D(2027, 2, 3), D(2027, 2, 8)) == 3
    cal.load(national_2027())
    due = cal.add(D(2027, 2, 3), 3)
    assert (due.due_on, due.provisional) == (D(2027, 2, 13), False)
    assert cal.between(D(2027, 2, 3), D(2027, 2, 13)) == 3


def test_with_file_leaves_the_calendar_as_it_was():
    cal = WorkingDayCalendar()
    ahead = cal.with_file(national_2027())
    assert ahead.knows(D(2027, 3, 1)) and not cal.knows(D(2027, 3, 1))


def test_with_an_older_file_than_its_own_the_calendar_ahead_is_this_one():
    """An older notice arriving late changes nothing — in the calendar ahead too (it once came out
    with no files at all: plain weekdays, every date provisional)."""
    at = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    cal = WorkingDayCalendar()
    cal.load(national_2027(), at)
    ahead = cal.with_file(national_2027(holidays=[{"name": "元旦", "from": "2027-01-01"}]), at - dt.timedelta(days=1))
    assert ahead.add(D(2027, 2, 3), 3) == cal.add(D(2027, 2, 3), 3)
    assert (ahead.add(D(2027, 2, 3), 3).due_on, ahead.add(D(2027, 2, 3), 3).provisional) == (D(2027, 2, 13), False)


def test_a_later_file_for_the_same_year_replaces_an_earlier_one_and_an_older_one_does_not():
    cal = WorkingDayCalendar()
    at = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    corrected = national_2027(holidays=[{"name": "元旦", "from": "2027-01-01"}])
    cal.load(national_2027(), at)
    cal.load(corrected, at + dt.timedelta(days=1))
    assert cal.is_working_day(D(2027, 2, 8))
    cal.load(national_2027(), at)  # the older one arriving late changes nothing
    assert cal.is_working_day(D(2027, 2, 8))


def test_shipped_xinjiang_files_make_eid_days_holidays_on_top_of_the_national_calendar():
    plain = WorkingDayCalendar()
    cal = WorkingDayCalendar(holiday_files.read_all([XINJIANG], district="650205"))
    # 2025-03-31 (Mon, 肉孜节) and 2025-06-06 (Fri) … 06-10 (Tue, 古尔邦节): working days nationally.
    assert plain.is_working_day(D(2025, 3, 31)) and plain.is_working_day(D(2025, 6, 6))
    assert not cal.is_working_day(D(2025, 3, 31))
    assert not any(cal.is_working_day(D(2025, 6, 6) + dt.timedelta(days=i)) for i in range(5))
    # Accepted Thu 3-27 + 3: Fri 3-28, (Sat-Mon off) Tue 4-1, Wed 4-2; nationally Tue 4-1.
    assert plain.add(D(2025, 3, 27), 3).due_on == D(2025, 4, 1)
    assert cal.add(D(2025, 3, 27), 3) == type(plain.add(D(2025, 3, 27), 3))(D(2025, 4, 2), False)
    assert not cal.is_working_day(D(2023, 4, 21)) and not cal.is_working_day(D(2026, 3, 20))
    # A regional file never makes an unknown year known.
    assert not cal.knows(D(2027, 3, 1))


def test_every_shipped_file_cites_its_source_and_follows_the_rules():
    files = holiday_files.read_all([XINJIANG], district="650205")
    assert sorted(f.year for f in files) == [2022, 2023, 2025, 2026]
    for f in files:
        assert f.scope == "regional" and f.region.code == "650000"
        assert f.source.issuer and f.source.title and f.source.urls


def _problems(**changes):
    return {p["field"]: p["rule"] for p in holiday_files.problems(national_2027(**changes), district="650205")}


@pytest.mark.parametrize("changes, field, words", [
    ({"holidays": [{"name": "春节", "from": "2027-02-11", "to": "2027-02-05"}]}, "holidays[0].to", "结束日期不得早于"),
    ({"holidays": [{"name": "春节", "from": "2027-02-01", "to": "2027-03-31"}]}, "holidays[0].to", "15"),
    ({"holidays": [{"name": "春节", "from": "2028-02-01"}]}, "holidays[0].from", "2027"),
    ({"workdays": [{"name": "调休", "date": "2027-02-17"}]}, "workdays[0].date", "周六或周日"),
    ({"workdays": [{"name": "调休", "date": "2027-02-06"}]}, "workdays[0].date", "既放假又上班"),
    ({"holidays": []}, "holidays", "国务院办公厅"),
    ({"region": {"code": "650000", "name": "新疆"}}, "region", "不写地区"),
    ({"scope": "regional", "region": {"code": "110000", "name": "北京市"}}, "region.code", "650205"),
    ({"scope": "regional"}, "region", "须写明地区"),
])
def test_a_file_breaking_a_rule_names_the_field_and_the_rule(changes, field, words):
    found = _problems(**changes)
    assert field in found and words in found[field], found


def test_a_new_year_holiday_may_start_in_december():
    assert _problems(holidays=[{"name": "元旦", "from": "2026-12-31", "to": "2027-01-02"}]) == {}


def test_reading_a_bad_file_says_which_file_field_and_rule(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(national_2027().model_dump(mode="json", by_alias=True)
                               | {"workdays": [{"name": "x", "date": "2027-02-17"}]}))
    with pytest.raises(ValueError, match=r"2027\.json.*workdays\[0\]\.date.*Saturday or a Sunday"):
        holiday_files.read_all([tmp_path])
    path.write_text('{"format": "jiuzhu.holidays/1", "year": 2027}')
    with pytest.raises(ValueError, match="scope"):
        holiday_files.read_all([path])
