"""Who is signed in: the claims of their token, and what that lets the console show them first."""

from __future__ import annotations

from dataclasses import dataclass

from jiuzhu_contracts.base import Role

# The home page of a person with several roles: the first of these they hold.
HOME_ORDER = (Role.CLERK, Role.INVESTIGATOR, Role.REVIEWER, Role.COMMITTEE, Role.LEADER, Role.INSPECTOR,
              Role.BUREAU_ADMIN, Role.AUDITOR, Role.FINANCE)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    roles: frozenset[Role]
    jurisdiction: str  # the district code for district staff
    district: str
    token: str  # forwarded to the services; they decide, the console only shows

    @property
    def at_district(self) -> bool:
        return self.jurisdiction == self.district

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @property
    def home_role(self) -> Role | None:
        return next((r for r in HOME_ORDER if r in self.roles), None)
