"""Temporary assistance at the window (L18 §1(二); issue 16 item 1): the application states its kind,
and an expenditure-driven (支出型) household's declared per-capita income is below the local
prior-year per-capita disposable income. The review checks the means found; the window refuses
what the household's own declaration already rules out."""

from __future__ import annotations

import datetime as dt

from jiuzhu_contracts.base import Category, TemporaryKind
from jiuzhu_kernel.district_config import DistrictConfig
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_kernel.temporary_assistance import EXPENDITURE_RULE, KIND_RULE, expenditure_problem

from jiuzhu_intake.domain.application import ApplicationContent


def temporary_problems(content: ApplicationContent, config: DistrictConfig, today: dt.date) -> list[dict[str, str]]:
    if content.category != Category.TEMPORARY:
        if content.temporary_kind is not None:
            return [{"field": "temporary_kind", "rule": f"仅临时救助申请填写类型 / only a temporary application "
                                                        f"has a kind ({KIND_RULE})"}]
        return []
    if content.temporary_kind is None:
        return [{"field": "temporary_kind", "rule": f"临时救助须注明急难型（emergency）或支出型（expenditure） / "
                                                    f"state the kind: emergency or expenditure ({KIND_RULE})"}]
    if content.temporary_kind != TemporaryKind.EXPENDITURE:
        return []
    year = today.year - 1
    disposable = config.temporary.disposable_income_of(year, content.area)
    if disposable is None:
        raise DomainRefusal(f"{year}年{content.area.value}居民人均可支配收入未配置 / the {year} per-capita disposable "
                            f"income ({content.area.value}) is not configured", rule=EXPENDITURE_RULE, status=409,
                            details={"add_to_district_file": f'[[temporary.disposable_income]]\nyear = {year}\n'
                                                             f'area = "{content.area.value}"\nannual_fen = '})
    problem = expenditure_problem(content.declared_monthly_income_fen, len(content.members), disposable)
    return [problem] if problem else []
