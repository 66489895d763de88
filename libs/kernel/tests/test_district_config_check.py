"""What ``./jz config check`` finds missing in a district file for a business date."""

import datetime as dt
import json
from pathlib import Path

import pytest

from jiuzhu_kernel.district_config import DistrictConfig, load_district_config
from jiuzhu_kernel.district_config_check import ConfigUnreadable, check, load, loaded_files
from jiuzhu_kernel.holiday_files import HolidayFileError
from jiuzhu_kernel.working_days import calendar_for

URHO = Path(__file__).resolve().parents[3] / "config" / "urho.toml"
CONFIG = load_district_config(URHO)
CALENDAR = calendar_for(CONFIG, URHO.parent)  # what a service starts with: config/holidays/xinjiang


def holiday_file(year: int, scope: str = "national", **changes) -> dict:
    """A test fixture in the shape of a notice (jiuzhu.holidays/1) — NOT a real one."""
    region = {"code": "650000", "name": "新疆维吾尔自治区"} if scope == "regional" else None
    return {"format": "jiuzhu.holidays/1", "year": year, "scope": scope, "region": region,
            "source": {"issuer": "国务院办公厅" if scope == "national" else "新疆维吾尔自治区人民政府办公厅",
                       "title": f"测试用：{year}年节假日安排（虚构）"},
            "holidays": [{"name": "测试假日", "from": f"{year}-04-01"}],
            "workdays": []} | changes


def changed(**parts) -> DistrictConfig:
    return DistrictConfig.model_validate({**CONFIG.model_dump(mode="json"), **parts})


def blocking(config, on, calendar=CALENDAR):
    return [f for f in check(config, on, calendar) if f.blocking]


def test_the_calendar_is_the_services_national_and_xinjiangs_files():
    assert loaded_files(CALENDAR) == ("national: chinesecalendar 2004–2026, national files none; "
                                      "regional 新疆维吾尔自治区 (650000): 2022, 2023, 2025, 2026")
    assert not CALENDAR.is_working_day(dt.date(2025, 3, 31))  # 肉孜节, a Monday


def test_the_shipped_file_is_ready_from_the_devolution_through_2026_but_xinjiangs_2024():
    for on in (dt.date(2022, 2, 1), dt.date(2023, 6, 1), dt.date(2025, 6, 3), dt.date(2026, 11, 28)):
        assert blocking(CONFIG, on) == [], on
    found = blocking(CONFIG, dt.date(2024, 6, 3))  # config/holidays/README.md: 2024 is not shipped
    assert [f.topic for f in found] == ["calendar"]
    assert found[0].text == ("the working-day calendar lacks the holidays of 2024: no regional holidays of "
                             "新疆维吾尔自治区 (650000) for 2024 (its files loaded: 2022, 2023, 2025, 2026): its own "
                             "days off count as working days, so deadlines across them fall too early")
    assert "national" not in found[0].text and found[0].fix.startswith("2024.json beside 新疆维吾尔自治区's other files")


def test_a_year_without_standards_or_holidays_is_not_ready_and_says_what_to_add():
    found = blocking(CONFIG, dt.date(2031, 3, 3))
    assert [f.topic for f in found] == ["standards"] * 4 + ["calendar"]
    assert found[0].text.startswith("no dibao standard for urban 2031")
    assert 'year = 2031\narea = "urban"\ncategory = "dibao"' in found[0].fix
    assert {f.text.split(":")[0] for f in found[:4]} == {
        "no dibao standard for urban 2031", "no dibao standard for rural 2031",
        "no tekun standard for urban 2031", "no tekun standard for rural 2031"}
    assert found[4].text.startswith("the working-day calendar lacks the holidays of 2031: no national notice for "
                                    "2031 (chinesecalendar knows 2004–2026; national holiday files loaded: none): "
                                    "deadlines there are provisional, counted Monday to Friday; no regional holidays "
                                    "of 新疆维吾尔自治区 (650000) for 2031 (its files loaded: 2022, 2023, 2025, 2026)")
    assert found[4].fix.startswith("national-2031.json from the State Council's notice 《国务院办公厅关于2031年部分"
                                   "节假日安排的通知》 (scope national); 2031.json beside 新疆维吾尔自治区's other files")
    assert "jiuzhu.holidays/1" in found[4].fix and "JZ_HOLIDAY_FILE" in found[4].fix
    assert "holiday_files" in found[4].fix and "chinesecalendar" in found[4].fix


def test_operator_holiday_files_cover_the_calendar(tmp_path):
    (tmp_path / "national-2031.json").write_text(json.dumps(holiday_file(2031)), encoding="utf-8")
    national_only = calendar_for(CONFIG, URHO.parent, tmp_path / "national-2031.json")  # JZ_HOLIDAY_FILE: a file
    found = blocking(CONFIG, dt.date(2031, 3, 3), national_only)
    assert [f.topic for f in found] == ["standards"] * 4 + ["calendar"]
    assert found[4].text.startswith("the working-day calendar lacks the holidays of 2031: no regional holidays of "
                                    "新疆维吾尔自治区 (650000) for 2031 (its files loaded: 2022, 2023, 2025, 2026)")
    assert "chinesecalendar" not in found[4].fix
    (tmp_path / "xinjiang-2031.json").write_text(json.dumps(holiday_file(2031, "regional")), encoding="utf-8")
    both = calendar_for(CONFIG, URHO.parent, tmp_path)  # … or a directory
    assert [f.topic for f in blocking(CONFIG, dt.date(2031, 3, 3), both)] == ["standards"] * 4
    assert loaded_files(both).endswith("national files 2031; regional 新疆维吾尔自治区 (650000): "
                                       "2022, 2023, 2025, 2026, 2031")


def test_the_district_files_holiday_files_are_relative_to_it(tmp_path):
    (tmp_path / "holidays").mkdir()
    (tmp_path / "holidays" / "2031.json").write_text(json.dumps(holiday_file(2031)), encoding="utf-8")
    district = tmp_path / "district.toml"
    district.write_text(URHO.read_text(encoding="utf-8").replace('holiday_files = ["holidays/xinjiang"]',
                                                                 'holiday_files = ["holidays"]'), encoding="utf-8")
    config = load(district)
    calendar = calendar_for(config, district.parent)
    assert loaded_files(calendar) == "national: chinesecalendar 2004–2026, national files 2031"
    assert not calendar.is_working_day(dt.date(2031, 4, 1)) and calendar.knows(dt.date(2031, 4, 2))


def test_a_bad_holiday_file_is_one_worded_line(tmp_path):
    bad = tmp_path / "2031.json"
    bad.write_text(json.dumps(holiday_file(2031, workdays=[{"name": "调休", "date": "2031-04-02"}])), encoding="utf-8")
    with pytest.raises(HolidayFileError) as caught:
        calendar_for(CONFIG, URHO.parent, bad)
    assert str(caught.value) == (f"holiday file {bad}: workdays[0].date: 调休上班日须为周六或周日 / "
                                 "a made-up working day is a Saturday or a Sunday")
    bad.write_text(json.dumps({"years": [2031], "holidays": ["2031-01-01"], "workdays": []}))  # the old shape
    with pytest.raises(HolidayFileError, match=r"^holiday file .*2031\.json: format: Field required \(format "
                                               r"jiuzhu\.holidays/1, config/holidays/README\.md\)$"):
        calendar_for(CONFIG, URHO.parent, bad)
    with pytest.raises(HolidayFileError, match=r"^holiday file .*absent\.json: does not exist$"):
        calendar_for(CONFIG, URHO.parent, tmp_path / "absent.json")


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
    calendar = [n for n in notes if n.startswith("the working-day calendar lacks the holidays of 2027")]
    assert len(calendar) == 1 and "no national notice for 2027" in calendar[0]
    assert "no regional holidays of 新疆维吾尔自治区 (650000) for 2027" in calendar[0]
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
