"""The district's index of residents in open or supported cases (issue 6): the same resident in
cases of two jurisdictions at once is raised as a possible double assistance. Residents are held
by a hash of their identity number, never the number itself."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass


def id_hash(number: str) -> str:
    return hashlib.sha256(number.encode()).hexdigest()


def residents(id_numbers: Iterable[str]) -> list[str]:
    """The hashes of a household's members, each once, in the order given."""
    return list(dict.fromkeys(id_hash(n) for n in id_numbers))


@dataclass(frozen=True)
class Indexed:
    """A resident's entry in the index: in which case and jurisdiction."""

    id_hash: str
    case_id: str
    jurisdiction: str


@dataclass(frozen=True)
class Duplicate:
    id_hash: str
    cases: tuple[str, ...]
    jurisdictions: tuple[str, ...]


def duplicates(case_id: str, jurisdiction: str, hashes: list[str], elsewhere: Iterable[Indexed]) -> list[Duplicate]:
    """One alert per resident of the accepted case also open in another jurisdiction's case."""
    found: dict[str, list[Indexed]] = {}
    for other in elsewhere:
        if other.jurisdiction != jurisdiction:
            found.setdefault(other.id_hash, []).append(other)
    out = []
    for h in hashes:
        if others := found.get(h):
            out.append(Duplicate(h, tuple(sorted({case_id, *(o.case_id for o in others)})),
                                 tuple(sorted({jurisdiction, *(o.jurisdiction for o in others)}))))
    return out
