"""The authority registry (SPEC §3; plan 二, 三(三)): which body decides (jurisdiction, category)
on a date. From the effective date of a hand-over the district bureau can no longer decide it."""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts.base import ApprovingBody, Category
from jiuzhu_kernel.district_config import AuthorityRule, DistrictConfig
from jiuzhu_kernel.refusal import DomainRefusal

RULE = "SPEC §3 / plan 三(三): only the body holding authority on the decision date may decide"


def rule_in_force(config: DistrictConfig, jurisdiction: str, category: Category, on: dt.date) -> AuthorityRule:
    rules = [r for r in config.authority if r.jurisdiction == jurisdiction and r.category in (None, category)
             and r.effective_from <= on]
    if not rules:
        raise DomainRefusal(f"no approving body is registered for {jurisdiction}/{category.value} on {on}",
                            rule=RULE, status=409)
    # The latest hand-over wins; on the same day a category's own rule beats an all-category one.
    return max(rules, key=lambda r: (r.effective_from, r.category is not None))


def check_decider(config: DistrictConfig, jurisdiction: str, category: Category, on: dt.date, *,
                  caller_at_district: bool) -> AuthorityRule:
    """The leader of the jurisdiction decides after devolution; the district bureau before it or where
    it was never devolved. Anyone else: 403 naming the rule."""
    rule = rule_in_force(config, jurisdiction, category, on)
    name = config.jurisdiction(jurisdiction).name
    if rule.body == ApprovingBody.JURISDICTION and caller_at_district:
        raise DomainRefusal(f"approval of {category.value} for {name} was devolved to its principal leader from "
                            f"{rule.effective_from}; the district bureau can no longer decide it",
                            rule=RULE, status=403)
    if rule.body == ApprovingBody.DISTRICT_BUREAU and not caller_at_district:
        raise DomainRefusal(f"approval of {category.value} for {name} rests with the district bureau on {on} "
                            f"({rule.instrument or 'not devolved'})", rule=RULE, status=403)
    return rule
