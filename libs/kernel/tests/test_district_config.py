from pathlib import Path

import pytest
from pydantic import ValidationError

from jiuzhu_contracts.base import Category
from jiuzhu_kernel.district_config import DistrictConfig, load_district_config

URHO = Path(__file__).resolve().parents[3] / "config" / "urho.toml"


def test_shipped_urho_configuration_loads():
    config = load_district_config(URHO)
    assert config.district.code == "650205"
    assert [j.slug for j in config.jurisdictions] == ["liushujie", "urho_town", "baikouquan"]
    assert config.spot_check_share >= 0.30


def test_deadline_overrides_most_specific_wins():
    config = load_district_config(URHO)
    assert config.deadline("investigation", jurisdiction="650205001", category=Category.DIBAO) == 10
    assert config.deadline("investigation", jurisdiction="650205001", category=Category.TEKUN) == 15
    data = config.model_dump(mode="json")
    data["deadline_overrides"].append({"jurisdiction": "650205001", "category": "tekun",
                                       "values": {"investigation": 12}})
    data["deadline_overrides"].append({"jurisdiction": "650205100", "values": {"investigation": 8}})
    custom = DistrictConfig.model_validate(data)
    assert custom.deadline("investigation", jurisdiction="650205001", category=Category.TEKUN) == 12
    assert custom.deadline("investigation", jurisdiction="650205100", category=Category.TEKUN) == 8
    assert custom.deadline("investigation", jurisdiction="650205400", category=Category.TEKUN) == 15


def test_config_rejects_unknown_references_and_a_share_below_30_percent():
    data = load_district_config(URHO).model_dump(mode="json")
    with pytest.raises(ValidationError, match="unknown jurisdiction"):
        DistrictConfig.model_validate({**data, "authority": [{**data["authority"][0], "jurisdiction": "999"}]})
    with pytest.raises(ValidationError, match="greater than or equal to 0.3"):
        DistrictConfig.model_validate({**data, "spot_check_share": 0.2})
    with pytest.raises(ValidationError, match="unknown periods"):
        DistrictConfig.model_validate({**data, "deadline_overrides": [{"values": {"lunch": 1}}]})


def test_re_review_schedule_is_the_national_rule_and_may_only_be_stricter():
    """定期核查 (D21 art. 31; N22 §1.3): yearly for stable households and tekun, every 6 months for
    irregular income or members able to work, within 3 months of a death; 15 working days to complete
    (20 for tekun, whose investigation has 15, T21 art. 13). Urho's plan is silent: a district may
    re-review more often, never less."""
    config = load_district_config(URHO)
    r = config.re_review
    assert (r.stable_months, r.changing_months, r.tekun_months, r.after_death_months) == (12, 6, 12, 3)
    assert r.categories == (Category.DIBAO, Category.TEKUN, Category.LOW_INCOME)  # issue 16: low-income re-reviewed
    assert config.deadline("re_review", jurisdiction="650205001", category=Category.DIBAO) == 15
    assert config.deadline("re_review", jurisdiction="650205001", category=Category.TEKUN) == 20
    assert DistrictConfig.model_validate({k: v for k, v in config.model_dump(mode="json").items()
                                          if k != "re_review"}).re_review == r  # the defaults are Urho's
    data = config.model_dump(mode="json")
    stricter = DistrictConfig.model_validate({**data, "re_review": {**data["re_review"], "changing_months": 3}})
    assert stricter.re_review.changing_months == 3
    for laxer in ({"stable_months": 13}, {"changing_months": 7}, {"tekun_months": 18}, {"after_death_months": 4}):
        with pytest.raises(ValidationError, match="less than or equal"):
            DistrictConfig.model_validate({**data, "re_review": {**data["re_review"], **laxer}})


def test_discovery_follow_up_is_configured_in_working_days():
    """主动发现 (plan 四(三)2): the plan sets no period; Urho ships 5 working days, configurable
    per jurisdiction like every other deadline."""
    config = load_district_config(URHO)
    assert config.deadline("discovery_follow_up", jurisdiction="650205001") == 5
    data = config.model_dump(mode="json")
    data["deadline_overrides"].append({"jurisdiction": "650205100", "values": {"discovery_follow_up": 3}})
    custom = DistrictConfig.model_validate(data)
    assert custom.deadline("discovery_follow_up", jurisdiction="650205100") == 3
    assert custom.deadline("discovery_follow_up", jurisdiction="650205001") == 5
