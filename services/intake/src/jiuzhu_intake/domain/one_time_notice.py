"""一次性告知 (plan 五(一)): an incomplete application gets ONE notice listing EVERY missing or
non-conforming item. When the household comes back, the window may ask again only for what that
notice listed, or for what the new submission itself made necessary. Anything else would be a
second demand the first notice should have made; the system refuses to make it and waives it.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiuzhu_contracts.events.intake import MissingItem
from jiuzhu_kernel.district_config import MaterialRule
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_intake.domain.application import ApplicationContent
from jiuzhu_intake.domain.materials import outstanding_items, required_materials

RULE = "plan 五(一) 一次性告知: one notice listing every missing or non-conforming item"
# No due date for coming back: the plan (五(一)) sets no period for bringing what the notice lists,
# and the district's [deadlines] have none; a notice stays open until the household returns.
NO_RESUBMISSION_LIMIT = ("方案五（一）及本区规定均未设补正期限 / "
                         "neither plan 五(一) nor the district's rules set a time limit for bringing the listed items")


@dataclass(frozen=True)
class PriorNotice:
    """The notice already given, and the content it was given for."""

    notice_no: str
    items: tuple[MissingItem, ...]
    content: ApplicationContent

    @property
    def listed(self) -> set[str]:
        return {item.code for item in self.items}


@dataclass(frozen=True)
class Completeness:
    items: tuple[MissingItem, ...]  # what the household must still bring; empty → accept
    waived: tuple[str, ...] = ()  # codes the system may no longer demand (not in the one notice)

    @property
    def complete(self) -> bool:
        return not self.items


def assess(content: ApplicationContent, rules: tuple[MaterialRule, ...],
           prior: PriorNotice | None = None) -> Completeness:
    outstanding = outstanding_items(content, rules)
    if prior is None:
        return Completeness(tuple(outstanding))

    # Needed because of what the household changed (a member added, a new fact declared …).
    newly_necessary = set(required_materials(content, rules)) - set(required_materials(prior.content, rules))
    previously_conforming = prior.content.handed_in_conforming()
    allowed, waived = [], []
    for item in outstanding:
        if item.code in prior.listed or item.code in newly_necessary:
            allowed.append(item)
        elif item.reason.startswith("non_conforming") and item.code in previously_conforming:
            # The clerk now rejects what was accepted at the first visit and left off the notice.
            raise DomainRefusal(
                f"{item.label} was accepted at the first visit and not listed in notice {prior.notice_no}; "
                "it may not be demanded now", rule=RULE, status=409, field=f"materials.{item.code}")
        else:
            waived.append(item.code)
    return Completeness(tuple(allowed), tuple(waived))
