"""A supported household's own changes as the window keeps them (issue 15 item 6): who lives in it
and where, once that changed after the decision (``household_changed``), and a household that moved
here from another jurisdiction of the district (``household_transfer_accepted``): a case of this
window like one approved here — open for the duplicate check, decided for withdrawal — though no
application was made here and no receipt handed out. It travels with its members' ID numbers only
(the sending jurisdiction's decision keeps no more): their names and relations are not known here
until the household's own change records them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from jiuzhu_contracts.base import Area, Category


@dataclass(frozen=True)
class HouseholdMember:
    id_number: str
    name: str | None = None  # None: not known here (a household moved in)
    relation: str | None = None


@dataclass(frozen=True)
class Household:
    """The household as it is now, when that is no longer what was accepted or imported."""

    address: str
    members: tuple[HouseholdMember, ...]

    def changed(self, *, added: Iterable[HouseholdMember], removed: Iterable[str],
                address: str | None) -> "Household":
        """Members removed (by ID number) leave, members added join after the others (a member
        already there is not listed twice); a new address replaces the old."""
        gone = set(removed)
        kept = tuple(m for m in self.members if m.id_number not in gone)
        known = {m.id_number for m in kept}
        joined = tuple(m for m in added if m.id_number not in known)
        return Household(address=address or self.address, members=kept + joined)


@dataclass(frozen=True)
class MovedFrom:
    """The household's case in the jurisdiction it moved from."""

    jurisdiction: str
    case_id: str
    transfer_id: str


@dataclass(frozen=True)
class MovedIn:
    """What a ``household_transfer_accepted`` says of the household (the domain reads no events)."""

    case_id: str
    category: Category
    area: Area
    committee: str
    address: str
    public_name: str
    accepted_on: dt.date
    member_ids: tuple[str, ...]
    moved_from: MovedFrom
