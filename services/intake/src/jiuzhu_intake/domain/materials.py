"""Which materials an application needs, from its own content and the configured rule table."""

from __future__ import annotations

from jiuzhu_contracts.events.intake import MissingItem
from jiuzhu_kernel.district_config import MaterialRule

from jiuzhu_intake.domain.application import ApplicationContent, MemberFacts

# 家庭经济状况核对授权书 is signed, not handed in: it has its own flag and its own item.
CONSENT = "consent"
CONSENT_LABEL = "家庭经济状况核对授权书（须全体共同生活家庭成员签字）"

_MEMBER_FACTS = {
    "disabled": lambda m: m.disabled,
    "in_school": lambda m: m.in_school,
    "seriously_ill": lambda m: m.seriously_ill,
    "unable_to_work": lambda m: m.able_to_work is False,
}


def _applies(rule: MaterialRule, content: ApplicationContent) -> bool:
    if rule.categories and content.category not in rule.categories:
        return False
    members: tuple[MemberFacts, ...] = content.members
    if rule.when_member and not any(_MEMBER_FACTS[rule.when_member](m) for m in members):
        return False
    if rule.when_relation and not any(m.relation == rule.when_relation for m in members):
        return False
    return True


def required_materials(content: ApplicationContent, rules: tuple[MaterialRule, ...]) -> dict[str, str]:
    """code → label of everything this application needs (the consent included)."""
    needed = {rule.code: rule.label for rule in rules if _applies(rule, content)}
    needed[CONSENT] = CONSENT_LABEL
    return needed


def outstanding_items(content: ApplicationContent, rules: tuple[MaterialRule, ...]) -> list[MissingItem]:
    """Every item the household must still bring or correct — all of them, in one list."""
    needed = required_materials(content, rules)
    handed = {h.code: h for h in content.handed_in}
    items: list[MissingItem] = []
    for code, label in needed.items():
        if code == CONSENT:
            if not content.consent_signed:
                items.append(MissingItem(code=code, label=label, reason="missing: not signed"))
            continue
        given = handed.get(code)
        if given is None:
            items.append(MissingItem(code=code, label=label, reason="missing"))
        elif not given.conforming:
            items.append(MissingItem(code=code, label=label,
                                     reason=f"non_conforming: {given.problem or 'does not meet the requirements'}"))
    return items
