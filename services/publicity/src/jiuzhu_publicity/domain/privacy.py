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


# 城乡低收入家庭 are recognised and registered, not paid (D21 art. 8; the kernel's assessment gives
# them no amount). Publicity lists them — the plan (五(三), 五(四)) publicises every household
# proposed and approved, and D21 art. 24 allows name, size and amount only — with this in place of
# an amount, never "0.00元"; and no door card is printed for them (``door_card_refusal``).
REGISTERED_ONLY = frozenset({Category.LOW_INCOME})
NOT_PAID_ZH = "认定登记，不发放保障金"
DOOR_CARD_RULE = ("D21第8条、第24条：公示卡载明按月保障金额，在领取保障金的家庭门前张贴接受监督；低收入家庭经认定登记、"
                  "不发放保障金，不制作公示卡（长期公示中列明“认定登记，不发放保障金”）")


def shows_amount(category: Category | str) -> bool:
    """Whether a public page shows an amount for this category (not for a registered-only one)."""
    return Category(category) not in REGISTERED_ONLY


def door_card_refusal(category: Category | str) -> str | None:
    """Why no door card is printed for a household of this category, or None when one is."""
    return None if shows_amount(category) else DOOR_CARD_RULE


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

    @property
    def paid(self) -> bool:
        return shows_amount(self.category)


@dataclass(frozen=True)
class PublicListing:
    name: str
    household_size: int
    category: Category
    amount_fen: int
    committee: str

    @property
    def paid(self) -> bool:
        return shows_amount(self.category)


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

