"""特困人员 per person (T21 art. 5, 21–23): the self-care assessment, basic living + care support per
tekun person, the care standard by year, 集中供养, the re-assessment's 10 days."""

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from jiuzhu_contracts.base import Area, Category
from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_contracts.tekun import SelfCareItem as I
from jiuzhu_contracts.tekun import SelfCareLevel, SupportMode, TekunPerson
from jiuzhu_kernel.benefits import Means, assess
from jiuzhu_kernel.district_config import TekunCare, load_district_config
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_kernel.tekun import assessed, ensure_persons, reassessment_due, self_care_level, shares

CONFIG = load_district_config(Path(__file__).resolve().parents[3] / "config" / "urho.toml")
J = "650205001"
BASIC = 117000  # config/urho.toml 2022 urban tekun (placeholder)
DIBAO = 90000
D = dt.date(2022, 3, 1)
FACTS = {"unable_to_work": "yes", "no_income_source": "yes", "no_capable_supporter": "yes"}
MEMBER_A, MEMBER_B = synthetic_id(born="19400101", seq="011"), synthetic_id(born="19450101", seq="021")


def person(unable=(), **kw) -> TekunPerson:
    return assessed(id_number=MEMBER_A, name="张老", unable=unable, assessed_on=D, **kw)


@pytest.mark.parametrize(("unable", "level"), [
    ((), SelfCareLevel.SELF_CARE),
    ((I.BATHING,), SelfCareLevel.SEMI_DISABLED),
    ((I.BATHING, I.DRESSING, I.TOILETING), SelfCareLevel.SEMI_DISABLED),
    ((I.BATHING, I.DRESSING, I.TOILETING, I.EATING), SelfCareLevel.DISABLED),
    (tuple(I), SelfCareLevel.DISABLED),
])
def test_six_items_score_to_a_level_by_t21_art_22(unable, level):
    assert self_care_level(unable) == level
    assert person(unable).level == level


def test_an_item_named_twice_counts_once():
    assert self_care_level((I.BATHING,) * 4) == SelfCareLevel.SEMI_DISABLED


def test_a_household_of_two_with_one_tekun_member_gets_one_persons_support():
    # Before: the tekun standard × household size (2 × 1,170 元), whoever was tekun.
    semi = person((I.BATHING, I.TOILETING))
    result = assess(Category.TEKUN, Area.URBAN, 2022, J, Means(2, 0, 0, FACTS, (semi,)), CONFIG)
    care = BASIC * 30 // 100  # the example 30 % for 半失能
    assert result.eligible and result.amount_fen == BASIC + care
    assert any("按特困人员1人计发（家庭2人）" in r for r in result.reasons)
    assert any("半失能" in r for r in result.reasons)


def test_two_tekun_persons_each_get_their_own_care_support():
    a, b = person(), assessed(id_number=MEMBER_B, name="李老", unable=tuple(I), assessed_on=D)
    result = assess(Category.TEKUN, Area.URBAN, 2022, J, Means(2, 0, 0, FACTS, (a, b)), CONFIG)
    assert result.amount_fen == 2 * BASIC + BASIC * 10 // 100 + BASIC * 60 // 100


def test_without_persons_recorded_the_old_computation_stands_and_says_so():
    result = assess(Category.TEKUN, Area.URBAN, 2022, J, Means(2, 0, 0, FACTS), CONFIG)
    assert result.amount_fen == 2 * BASIC and "未逐人记录" in result.reasons[-1]


def test_the_tekun_conditions_still_come_first():
    result = assess(Category.TEKUN, Area.URBAN, 2022, J, Means(2, 0, 0, {}, (person(),)), CONFIG)
    assert not result.eligible and result.amount_fen == 0


def test_the_care_standard_is_configured_per_year_as_a_figure_or_a_percentage():
    config = CONFIG.model_copy(update={"tekun_care": (
        TekunCare(year=2022, area=Area.URBAN, level=SelfCareLevel.DISABLED, monthly_fen=150000),
        TekunCare(year=2022, area=Area.URBAN, level=SelfCareLevel.SEMI_DISABLED, percent_of_basic=40),
        TekunCare(year=2022, area=Area.URBAN, level=SelfCareLevel.SEMI_DISABLED, percent_of_basic=50,
                  jurisdiction=J))})
    assert config.care_standard(SelfCareLevel.DISABLED, Area.URBAN, 2022, J) == 150000
    assert config.care_standard(SelfCareLevel.SEMI_DISABLED, Area.URBAN, 2022, "650205002") == BASIC * 40 // 100
    assert config.care_standard(SelfCareLevel.SEMI_DISABLED, Area.URBAN, 2022, J) == BASIC // 2  # its own line
    assert config.care_standard(SelfCareLevel.SELF_CARE, Area.URBAN, 2022, J) == BASIC * 10 // 100  # example default
    with pytest.raises(ValidationError):
        TekunCare(year=2022, area=Area.URBAN, level=SelfCareLevel.DISABLED, monthly_fen=1, percent_of_basic=1)


def test_centralised_support_names_its_institution_and_may_pay_the_care_to_it():
    home = "乌尔禾区社会福利中心"
    p = person(tuple(I), support_mode=SupportMode.CENTRALISED, institution=home, care_paid_to_institution=True)
    (share,) = shares((p,), Area.URBAN, 2022, J, CONFIG)
    assert share.to_institution == home and f"照料护理费付{home}" in share.reason()
    with pytest.raises(ValidationError, match="供养服务机构"):
        person(support_mode=SupportMode.CENTRALISED)
    with pytest.raises(ValidationError, match="分散供养"):
        person(institution=home)


def test_a_tekun_person_must_be_a_member_once_with_the_level_the_items_give():
    ensure_persons((person(),), (MEMBER_A, MEMBER_B))
    with pytest.raises(DomainRefusal) as outsider:
        ensure_persons((person(),), (MEMBER_B,))
    assert outsider.value.field == "tekun_persons.0.id_number" and "T21 art. 5" in outsider.value.rule
    with pytest.raises(DomainRefusal) as twice:
        ensure_persons((person(), person()), (MEMBER_A,))
    assert twice.value.field == "tekun_persons.1.id_number"
    typed = TekunPerson(id_number=MEMBER_A, name="张老", unable=(I.BATHING,), level=SelfCareLevel.DISABLED,
                        assessed_on=D)
    with pytest.raises(DomainRefusal) as level:
        ensure_persons((typed,), (MEMBER_A,))
    assert level.value.field == "tekun_persons.0.level" and "art. 21–22" in level.value.rule


def test_a_reported_change_is_re_assessed_within_10_days():
    assert reassessment_due(dt.date(2022, 3, 25), CONFIG) == dt.date(2022, 4, 4)


def test_a_tekun_decision_period_above_t21_art_16s_15_working_days_does_not_load():
    from jiuzhu_kernel.district_config import DeadlineOverride, DistrictConfig
    data = CONFIG.model_dump()
    assert CONFIG.deadline("decision", jurisdiction=J, category=Category.TEKUN) == 3  # the plan's, stricter
    data["deadline_overrides"] = [*data["deadline_overrides"],
                                  DeadlineOverride(category=Category.TEKUN, values={"decision": 16}).model_dump()]
    with pytest.raises(ValidationError, match="T21 art. 16"):
        DistrictConfig.model_validate(data)
    data["deadline_overrides"][-1]["values"] = {"decision": 15}
    assert DistrictConfig.model_validate(data).deadline("decision", jurisdiction=J, category=Category.TEKUN) == 15
