"""Checks of an application form against the district's configuration (rather than its shape).
All problems are reported together, as one 422 (issue 3: name every bad field at once). The form
is the citizen's, so every rule is stated in Chinese first."""

from __future__ import annotations

import datetime as dt

from jiuzhu_kernel.district_config import DistrictConfig, Limits
from jiuzhu_kernel.input_limits import amount_problem, birth_date_problem

from jiuzhu_intake.domain.application import ApplicationContent
from jiuzhu_intake.domain.materials import CONSENT


def form_problems(content: ApplicationContent, config: DistrictConfig, here: str) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    committees = config.jurisdiction(here).committees
    if committees and content.committee not in committees:
        problems.append({"field": "committee",
                         "rule": f"须为本辖区的居（村）委会：{'、'.join(committees)} / "
                                 f"must be a committee of this jurisdiction: {', '.join(committees)}"})
    known = {m.code for m in config.materials}
    for i, handed in enumerate(content.handed_in):
        if handed.code == CONSENT:
            problems.append({"field": f"materials.{i}.code",
                             "rule": "核对授权书以 consent_signed 记录，不作为材料 / "
                                     "the consent form is recorded by consent_signed, not as a material"})
        elif handed.code not in known:
            problems.append({"field": f"materials.{i}.code",
                             "rule": f"未知材料 {handed.code!r} / unknown material {handed.code!r}; "
                                     f"known: {', '.join(sorted(known))}"})
        if not handed.conforming and not handed.problem:
            problems.append({"field": f"materials.{i}.problem",
                             "rule": "不符合要求的材料须写明原因，以便一次性告知 / "
                                     "a non-conforming material needs the problem stated for the notice"})
    return problems


def limit_problems(content: ApplicationContent, limits: Limits, today: dt.date) -> list[dict[str, str]]:
    """Birth dates in the members' ID numbers and the declared means, within the district's
    ``[limits]`` on the business day ``today``."""
    problems = [birth_date_problem(f"members.{i}.id_number", m.id_number, today=today, limits=limits)
                for i, m in enumerate(content.members)]
    problems.append(amount_problem("declared_monthly_income_fen", content.declared_monthly_income_fen,
                                   limit=limits.household_monthly_income_fen, name="household_monthly_income_fen",
                                   what_zh="申报家庭月收入"))
    problems.append(amount_problem("declared_assets_fen", content.declared_assets_fen,
                                   limit=limits.household_assets_fen, name="household_assets_fen",
                                   what_zh="申报家庭财产"))
    return [p for p in problems if p]
