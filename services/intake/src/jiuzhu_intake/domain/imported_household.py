"""A household supported under the old system, imported by decision (issue 15, ``recipient_migrated``):
the window holds it as a case like one approved here — so a new application of the same category
for any of its members is refused as a duplicate (domain/window.py) until its support ends — but
no application was made here and no receipt was handed out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiuzhu_contracts.base import Area, Category

RECEIPT_RULE = "a receipt is handed out on acceptance at the window (plan 五(一))"


@dataclass(frozen=True)
class ImportedMember:
    name: str
    relation: str
    id_number: str


@dataclass(frozen=True)
class ImportedFrom:
    """The district's own list it came from (the file by its SHA-256, the row) and the household
    as the list gave it."""

    file_name: str
    file_sha256: str
    row: int
    members: tuple[ImportedMember, ...]


def application_id(file_sha256: str, row: int) -> str:
    """No application was made here: the file and row it was imported from stand for one."""
    return f"CL-{file_sha256[:12]}-{row}"


def head_of(members: tuple[ImportedMember, ...]) -> ImportedMember:
    return next((m for m in members if m.relation == "self"), members[0])


@dataclass(frozen=True)
class Imported:
    """What a ``recipient_migrated`` says of the household (the domain does not read events)."""

    case_id: str
    category: Category
    area: Area
    committee: str
    address: str
    approved_on: dt.date
    source: ImportedFrom
