"""What ``./jz config check`` finds missing in a district file for a business date."""

import datetime as dt
import json
from pathlib import Path

import pytest

from jiuzhu_runtime.district_config import DistrictConfig, load_district_config
from jiuzhu_runtime.district_config_check import ConfigUnreadable, check, load, load_calendar
from jiuzhu_runtime.working_days import WorkingDayCalendar

URHO = Path(__file__).resolve().parents[3] / "config" / "urho.toml"
CONFIG = load_district_config(URHO)
CALENDAR = WorkingDayCalendar()


def changed(**parts) -> DistrictConfig:
    return DistrictConfig.model_validate({**CONFIG.model_dump(mode="json"), **parts})


def blocking(config, on, calendar=CALENDAR):
    return [f for f in check(config, on, calendar) if f.blocking]


def test_the_shipped_file_is_ready_from_the_devolution_through_2026():
    for on in (dt.date(2022, 2, 1), dt.date(2024, 6, 3), dt.date(2026, 11, 28)):
        assert blocking(CONFIG, on) == [], on


def test_a_year_without_standards_or_holidays_is_not_ready_and_says_what_to_add():
    found = blocking(CONFIG, dt.date(2031, 3, 3))
    assert [f.topic for f in found] == ["standards"] * 4 + ["calendar"]
    assert found[0].text.startswith("no dibao standard for urban 2031")
    assert 'year = 2031\narea = "urban"\ncategory = "dibao"' in found[0].fix
    assert {f.text.split(":")[0] for f in found[:4]} == {
        "no dibao standard for urban 2031", "no dibao standard for rural 2031",
        "no tekun standard for urban 2031", "no tekun standard for rural 2031"}
    assert "holidays of 2031" in found[4].text and "JZ_HOLIDAY_FILE" in found[4].fix


def test_an_operator_holiday_file_covers_the_calendar(tmp_path):
    holidays = tmp_path / "holidays.json"
    holidays.write_text(json.dumps({"years": [2031], "holidays": ["2031-01-01"], "workdays": []}))
    assert [f.topic for f in blocking(CONFIG, dt.date(2031, 3, 3), load_calendar(holidays))] == ["standards"] * 4


def test_jurisdiction_lines_must_cover_every_jurisdiction_without_a_district_line():
    lines = [s for s in CONFIG.model_dump(mode="json")["standards"]
             if not (s["year"] == 2026 and s["area"] == "rural" and s["category"] == "tekun")]
    own = {"year": 2026, "area": "rural", "category": "tekun", "monthly_fen": 91000, "jurisdiction": "650205100"}
    found = blocking(changed(standards=lines + [own]), dt.date(2026, 5, 6))
    assert len(found) == 1
    assert found[0].text.startswith("no tekun standard for rural 2026 (only 650205100 have their own; "
                                    "650205001, 650205400 do not)")
    everyone = [{**own, "jurisdiction": j.code} for j in CONFIG.jurisdictions]
    assert blocking(changed(standards=lines + everyone), dt.date(2026, 5, 6)) == []


def test_duplicate_standard_lines_are_named():
    lines = CONFIG.model_dump(mode="json")["standards"]
    found = blocking(changed(standards=lines + [lines[0]]), dt.date(2022, 5, 6))
    assert [f.text for f in found] == ["2 lines for the dibao standard, urban 2022: which one applies is not clear"]


def test_every_jurisdiction_needs_an_approving_body_on_the_date():
    rules = CONFIG.model_dump(mode="json")["authority"]
    without_park = [r for r in rules if r["jurisdiction"] != "650205400"]
    found = blocking(changed(authority=without_park), dt.date(2026, 5, 6))
    assert [f.topic for f in found] == ["authority"]
    assert found[0].text.startswith("no approving body for 650205400 百口泉产业园区管委会 on 2026-05-06 "
                                    "(dibao, tekun, low_income, temporary)")
    only_dibao_later = without_park + [{"jurisdiction": "650205400", "category": "dibao", "body": "district_bureau",
                                        "effective_from": "2027-01-01"}]
    found = blocking(changed(authority=only_dibao_later), dt.date(2026, 5, 6))
    assert "(dibao, tekun, low_income, temporary)" in found[0].text


def test_limits_must_leave_room_for_what_the_standards_make_payable():
    limits = {**CONFIG.model_dump(mode="json")["limits"], "amount_per_month_fen": 500000,
              "household_assets_fen": 1000000}
    found = blocking(changed(limits=limits), dt.date(2026, 5, 6))
    assert [f.topic for f in found] == ["limits", "limits"]
    assert found[0].text.startswith("limits.amount_per_month_fen = 500000 fen is below a month's benefit of "
                                    "10 people on the highest 2026 standard")
    assert "amount_per_month_fen = 1170000" in found[0].fix  # 10 × 117000, urban tekun
    assert "household_assets_fen = 21600000" in found[1].fix  # 10 × 24 × 90000


def test_late_in_the_year_the_next_years_gaps_are_notes_not_blockers():
    found = check(CONFIG, dt.date(2026, 12, 1), CALENDAR)
    assert [f for f in found if f.blocking] == []
    notes = [f.text for f in found if not f.blocking]
    assert any(n.startswith("no dibao standard for urban 2027") for n in notes)
    assert any("holidays of 2027" in n for n in notes)
    assert check(CONFIG, dt.date(2026, 3, 2), CALENDAR) == []


def test_an_unreadable_file_is_described_in_words(tmp_path):
    with pytest.raises(ConfigUnreadable, match="the file does not exist"):
        load(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[district\n")
    with pytest.raises(ConfigUnreadable, match="not TOML"):
        load(bad)
    text = URHO.read_text(encoding="utf-8")
    bad.write_text(text.replace('slug = "liushujie"', 'slug = "Liu Shu"').replace(
        'jurisdiction = "650205400"\nbody', 'jurisdiction = "999"\nbody'), encoding="utf-8")
    with pytest.raises(ConfigUnreadable) as caught:
        load(bad)
    assert caught.value.problems == ["jurisdictions.0.slug: String should match pattern '^[a-z0-9_]+$' "
                                     "(given: 'Liu Shu')"]
    bad.write_text(text.replace('jurisdiction = "650205400"\nbody', 'jurisdiction = "999"\nbody'), encoding="utf-8")
    with pytest.raises(ConfigUnreadable) as caught:
        load(bad)
    assert caught.value.problems == ["authority rule names unknown jurisdiction 999"]
