"""The right window and no duplicate case (plan 五(一))."""

from __future__ import annotations

from jiuzhu_contracts.base import Category
from jiuzhu_kernel.district_config import DistrictConfig
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_intake.domain.application import ApplicationContent

WINDOW_RULE = "plan 五(一): apply at the window of the jurisdiction of household registration (户籍所在地)"
EMERGENCY_RULE = "N22 §4.3: temporary assistance is applied for where the emergency happens"
DUPLICATE_RULE = "one open case per household and category"


def competent_jurisdiction(content: ApplicationContent) -> tuple[str, str]:
    """(jurisdiction code, rule) of the window that must take this application."""
    if content.category == Category.TEMPORARY and content.emergency_jurisdiction:
        return content.emergency_jurisdiction, EMERGENCY_RULE
    return content.registration_jurisdiction, WINDOW_RULE


def check_window(content: ApplicationContent, here: str, config: DistrictConfig) -> None:
    competent, rule = competent_jurisdiction(content)
    if competent == here:
        return
    try:
        target = config.jurisdiction(competent)
        where = f"{target.name} ({target.code})"
    except KeyError:
        where = (f"the sub-district office or township government of jurisdiction {competent}, "
                 f"outside {config.district.name}")
    field = "emergency_jurisdiction" if rule == EMERGENCY_RULE else "registration_jurisdiction"
    raise DomainRefusal(f"this window serves {config.jurisdiction(here).name}; apply at {where}",
                        rule=rule, status=422, field=field, details={"go_to": competent})


def refuse_duplicate(open_case_id: str | None, category: Category) -> None:
    if open_case_id:
        raise DomainRefusal(f"the household already has open {category.value} case {open_case_id}",
                            rule=DUPLICATE_RULE, status=409, field="members",
                            details={"open_case": open_case_id})
