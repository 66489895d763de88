"""Filing review spot checks (plan 五(四): 按照不低于30%的比例开展抽查; T21 art. 16: at random).

Per jurisdiction and month: at least ceil(share × filings) are drawn; cases with a close-relative
flag, an objection or a report are always drawn (they count towards the share); the rest is a
random draw from a seeded generator, so an auditor with the recorded seed redraws the same sample.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import random
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Filing:
    case_id: str
    close_relative: bool = False
    objections: int = 0
    reported: bool = False


class Because(enum.StrEnum):
    """Why a case was drawn: always (a close relative, an objection, a report), or at random."""

    CLOSE_RELATIVE = "close_relative"
    OBJECTION = "objection"
    REPORT = "report"
    RANDOM = "random"


@dataclass(frozen=True)
class Drawn:
    case_id: str
    because: Because


def sample_size(filings: int, share: Fraction | float) -> int:
    share = Fraction(share).limit_denominator(1000)
    return math.ceil(share * filings)


def forced_reason(f: Filing) -> Because | None:
    if f.close_relative:
        return Because.CLOSE_RELATIVE
    if f.objections:
        return Because.OBJECTION
    if f.reported:
        return Because.REPORT
    return None


def draw(filings: list[Filing], share: Fraction | float, seed: str) -> list[Drawn]:
    ordered = sorted(filings, key=lambda f: f.case_id)  # the seed alone decides, not arrival order
    forced = [Drawn(f.case_id, reason) for f in ordered if (reason := forced_reason(f))]
    rest = [f.case_id for f in ordered if not forced_reason(f)]
    wanted = max(0, sample_size(len(ordered), share) - len(forced))
    chosen = random.Random(seed).sample(rest, min(wanted, len(rest)))
    return forced + [Drawn(case_id, Because.RANDOM) for case_id in sorted(chosen)]


def previous_month(day: dt.date) -> str:
    """The month before ``day``'s ("YYYY-MM"): the one drawn once it has ended."""
    first = day.replace(day=1) - dt.timedelta(days=1)
    return first.strftime("%Y-%m")
