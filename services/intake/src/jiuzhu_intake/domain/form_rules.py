"""Checks of an application form against the district's configuration (rather than its shape).
All problems are reported together, as one 422 (issue 3: name every bad field at once)."""

from __future__ import annotations

from jiuzhu_runtime.district_config import DistrictConfig

from jiuzhu_intake.domain.application import ApplicationContent
from jiuzhu_intake.domain.materials import CONSENT


def form_problems(content: ApplicationContent, config: DistrictConfig, here: str) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    committees = config.jurisdiction(here).committees
    if committees and content.committee not in committees:
        problems.append({"field": "committee",
                         "rule": f"must be a committee of this jurisdiction: {', '.join(committees)}"})
    known = {m.code for m in config.materials}
    for i, handed in enumerate(content.handed_in):
        if handed.code == CONSENT:
            problems.append({"field": f"materials.{i}.code",
                             "rule": "the consent form is recorded by consent_signed, not as a material"})
        elif handed.code not in known:
            problems.append({"field": f"materials.{i}.code",
                             "rule": f"unknown material {handed.code!r}; known: {', '.join(sorted(known))}"})
        if not handed.conforming and not handed.problem:
            problems.append({"field": f"materials.{i}.problem",
                             "rule": "a non-conforming material needs the problem stated for the notice"})
    return problems
