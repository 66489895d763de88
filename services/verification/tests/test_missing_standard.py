"""A year without its standard is refused with the lines to add, in Chinese and English (SPEC §4);
the shipped district file has every standard the review looks up from 2022 through 2026."""

import datetime as dt
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

from jiuzhu_contracts.base import Area, Category
from jiuzhu_kernel.clock import FixedClock
from jiuzhu_kernel.district_config import DistrictConfig, MissingStandard, load_district_config
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_kernel.benefits import Means, assess
from jiuzhu_verification.domain.investigation import CheckReport, Household, Investigation
from jiuzhu_verification.service_layer.handlers import Verification

CONFIG = load_district_config(Path(__file__).resolve().parents[3] / "config" / "urho.toml")
J = "650205001"


def test_the_shipped_file_has_every_standard_from_2022_through_2026():
    everyone = {"unable_to_work": "yes", "no_income_source": "yes", "no_capable_supporter": "yes",
                "hardship_confirmed": "yes"}
    for year in range(2022, 2027):
        for area in Area:
            for category in Category:
                assert assess(category, area, year, J, Means(1, 0, 0, everyone), CONFIG).eligible


def test_a_missing_standard_names_year_area_category_and_the_lines_to_add():
    with pytest.raises(MissingStandard) as caught:
        assess(Category.TEKUN, Area.RURAL, 2031, J, Means(1, 0, 0, {}), CONFIG)  # dibao is looked up first
    message = str(caught.value)
    assert "2031年农村最低生活保障标准" in message and "no dibao standard for rural 2031" in message
    assert 'year = 2031\narea = "rural"\ncategory = "dibao"\nmonthly_fen =' in message
    # Pasted as given, the file does not load: the figure must be typed in, never guessed.
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(caught.value.lines)
    filled = tomllib.loads(caught.value.lines.replace("monthly_fen =", "monthly_fen = 75000"))
    data = CONFIG.model_dump(mode="json")
    data["standards"] += filled["standards"]
    added = DistrictConfig.model_validate(data)
    assert added.standard(Category.DIBAO, Area.RURAL, 2031, J) == 75000


def test_the_review_refuses_with_409_and_the_lines_to_add():
    inv = Investigation(case_id="c1", category=Category.DIBAO, area=Area.URBAN, committee="居委会",
                        applicant_name="张三", accepted_on=dt.date(2031, 3, 1), member_id_numbers=("x",),
                        household=Household(1, 0, 0, {}),
                        check_report=CheckReport("HD-1", "R1", dt.date(2031, 3, 2), 0, 0, "无"))
    stage = SimpleNamespace(clock=FixedClock(dt.datetime(2031, 3, 5, 9)), jurisdiction=J, config=CONFIG)
    with pytest.raises(DomainRefusal) as caught:
        Verification.computed(stage, inv)
    refusal = caught.value
    assert refusal.status == 409 and "2031年城镇最低生活保障标准" in refusal.message
    assert refusal.details["missing_standard"] == {"year": 2031, "area": "urban", "category": "dibao"}
    assert refusal.details["add_to_district_file"].startswith('[[standards]]\nyear = 2031\narea = "urban"')
