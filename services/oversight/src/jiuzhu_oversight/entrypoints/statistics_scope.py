"""Whose statistics a person reads: the district's staff the district's or any jurisdiction's, a
jurisdiction's leader or clerk its own only (plan 四(二)3–4)."""

from __future__ import annotations

from jiuzhu_kernel.refusal import DomainRefusal

OWN_FIGURES_RULE = ("乌尔禾区工作方案 四(二)3–4：街道（乡镇）负责本辖区社会救助数据统计报送，只读本辖区的统计 / "
                    "a jurisdiction produces and reads its own statistics only")


def statistics_scope(ctx, who, jurisdiction: str | None) -> str | None:
    """Whose figures: district staff any jurisdiction's or the district's (None); a jurisdiction's
    leader or clerk its own only — another's is refused (403) with the plan's rule."""
    codes = {j.code for j in ctx.config.jurisdictions}
    if jurisdiction and jurisdiction not in codes:
        raise DomainRefusal(f"{jurisdiction} is not a jurisdiction of district {ctx.config.district.code}",
                            rule="statistics are of the district or one of its jurisdictions", status=422,
                            field="jurisdiction")
    if who.jurisdiction == ctx.config.district.code:
        return jurisdiction
    if jurisdiction and jurisdiction != who.jurisdiction:
        raise DomainRefusal(f"统计属于{jurisdiction}，不是本辖区{who.jurisdiction} / another jurisdiction's figures",
                            rule=OWN_FIGURES_RULE, status=403, field="jurisdiction")
    return who.jurisdiction
