"""``./jz clock`` arithmetic: steps on the PRC working-day calendar, dates in the district's zone."""

import argparse
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_devstack.clock_cli import describe, follows, parse_step, parse_when
from jiuzhu_devstack.command_errors import CommandError
from jiuzhu_kernel.district_config import load_district_config
from jiuzhu_kernel.working_days import calendar_for

TZ = ZoneInfo("Asia/Shanghai")
URHO = Path(__file__).resolve().parents[3] / "config" / "urho.toml"
CAL = calendar_for(load_district_config(URHO), URHO.parent)  # the services': national and config/holidays/xinjiang


def at(y, m, d, h=14):
    return dt.datetime(y, m, d, h, 0, tzinfo=TZ)


def test_working_days_skip_the_weekend_and_the_new_year_holiday():
    friday = at(2022, 12, 30)  # then Sat 12-31, Sun 1-1, Mon 1-2 (New Year's Day observed)
    assert parse_step("1wd").after(friday, CAL) == at(2023, 1, 3)
    assert parse_step("3wd").after(friday, CAL) == at(2023, 1, 5)


def test_working_days_count_a_weekend_day_made_a_working_day():
    # National Day 2022: 10-1 … 10-7 off; Saturday 10-8 and Sunday 10-9 were working days (调休).
    assert parse_step("1wd").after(at(2022, 9, 30), CAL) == at(2022, 10, 8)
    assert parse_step("2wd").after(at(2022, 9, 30), CAL) == at(2022, 10, 9)


def test_working_days_skip_xinjiangs_own_holidays():
    # 肉孜节 2025 (config/holidays/xinjiang/2025.json): Sat 3-29 … Mon 3-31 off; nationally Monday is a working day.
    assert parse_step("1wd").after(at(2025, 3, 28), CAL) == at(2025, 4, 1)
    assert describe(at(2025, 3, 31), CAL).endswith("Monday, not a working day")


def test_working_days_follow_a_national_file_given_as_jz_holiday_file(tmp_path):
    notice = tmp_path / "national-2027.json"  # a fixture in the notice's shape — NOT the real 2027 notice
    notice.write_text(json.dumps({
        "format": "jiuzhu.holidays/1", "year": 2027, "scope": "national",
        "source": {"issuer": "国务院办公厅", "title": "测试用：2027年部分节假日安排（虚构）"},
        "holidays": [{"name": "春节", "from": "2027-02-05", "to": "2027-02-11"}],
        "workdays": [{"name": "春节调休上班", "date": "2027-02-13"}]}), encoding="utf-8")
    assert "(by weekday: the calendar does not know this year's holidays)" in describe(at(2027, 2, 4), CAL)
    with_notice = calendar_for(load_district_config(URHO), URHO.parent, notice)
    # Thu 2-4, then the holiday 2-5 … 2-11, Fri 2-12, Sat 2-13 (调休)
    assert parse_step("2wd").after(at(2027, 2, 4), with_notice) == at(2027, 2, 13)
    assert describe(at(2027, 2, 4), with_notice).endswith("Thursday, a working day")


def test_calendar_days_and_hours():
    assert parse_step("2d").after(at(2022, 12, 30), CAL) == at(2023, 1, 1)
    assert parse_step(" 4h").after(at(2022, 12, 30, 22), CAL) == at(2022, 12, 31, 2)


@pytest.mark.parametrize("text", ["3", "wd", "-1wd", "3w", "1.5d", "3 weeks"])
def test_other_steps_are_refused_with_the_forms_that_work(text):
    with pytest.raises(argparse.ArgumentTypeError, match="3wd: working days"):
        parse_step(text)


def test_a_date_alone_is_nine_in_the_morning_in_the_districts_zone():
    assert parse_when("2022-02-01", "Asia/Shanghai") == dt.datetime(2022, 2, 1, 9, 0, tzinfo=TZ)
    assert parse_when("2022-02-01T14:30", "Asia/Shanghai") == dt.datetime(2022, 2, 1, 14, 30, tzinfo=TZ)
    assert parse_when("2022-02-01T06:30:00+00:00", "Asia/Shanghai") == dt.datetime(2022, 2, 1, 14, 30, tzinfo=TZ)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        parse_when("1 Feb", "Asia/Shanghai")


def test_a_service_follows_when_its_health_shows_the_time():
    wall = dt.datetime(2026, 11, 28, 8, tzinfo=dt.timezone.utc)
    set_ = at(2022, 2, 1, 9)
    assert follows({"business_now": "2022-02-01T09:00:00+08:00"}, set_, wall)
    assert not follows({"business_now": "2022-02-01T09:00:01+08:00"}, set_, wall)
    assert not follows({"status": "degraded"}, set_, wall)
    # after a reset: the wall clock, give or take the time the request took
    assert follows({"business_now": "2026-11-28T16:00:30+08:00"}, None, wall)
    assert not follows({"business_now": "2022-02-01T09:00:00+08:00"}, None, wall)
