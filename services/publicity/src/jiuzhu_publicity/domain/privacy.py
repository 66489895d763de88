"""What may be public (D21 art. 24; ZX art. 61; SPEC §7): name, household size, category, amount,
committee, and how to object. Never ID numbers, phone numbers, accounts, health or income details.

``PublicNotice`` and ``PublicListing`` are the only shapes public pages are rendered from, so a
private field cannot reach a page by accident; ``private_data_in`` is the test's second line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jiuzhu_contracts.base import Category

CATEGORY_ZH = {Category.DIBAO: "最低生活保障", Category.TEKUN: "特困人员救助供养",
               Category.LOW_INCOME: "低收入家庭", Category.TEMPORARY: "临时救助"}


@dataclass(frozen=True)
class PublicNotice:
    notice_no: str
    committee: str
    name: str
    household_size: int
    category: Category
    amount_fen: int
    opens_on: str
    closes_on: str
    round: int


@dataclass(frozen=True)
class PublicListing:
    name: str
    household_size: int
    category: Category
    amount_fen: int
    committee: str


_PATTERNS = {
    "resident ID number": re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),
    "mobile phone number": re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),
    "bank account": re.compile(r"(?<!\d)\d{12,30}(?!\d)"),
}


def private_data_in(text: str, known_private: tuple[str, ...] = ()) -> list[str]:
    """What in ``text`` looks like, or is, private data."""
    found = [f"{kind}: {m.group(0)}" for kind, rx in _PATTERNS.items() for m in rx.finditer(text)]
    found += [f"known private value: {value}" for value in known_private if value and value in text]
    return found

