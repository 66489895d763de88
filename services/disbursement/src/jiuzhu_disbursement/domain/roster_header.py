"""A month's roster as an aggregate (plan 五(五)): its header — scope, month, version, totals,
checksum, difference from the version before — and where it stands: compiled, superseded by a newer
version, or submitted to finance (which locks it). Its lines are rows of their own, written and
read in bulk (adapters/roster_sql.py), never part of this state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from jiuzhu_kernel.refusal import DomainRefusal

SUBMISSION_RULE = "submission locks a roster"
CONFIRMATION_RULE = "plan 五(五)"


class RosterStatus(StrEnum):
    COMPILED = "compiled"  # the current version; may be submitted
    SUPERSEDED = "superseded"  # a newer version was compiled before this one was submitted
    SUBMITTED = "submitted"  # sent to finance: locked, its payments confirmed line by line


@dataclass(frozen=True)
class RosterHeader:
    roster_id: str
    scope: str  # a jurisdiction code, or the district code
    month: str
    version: int
    lines: int
    totals: dict[str, list[int]]  # category -> [households, amount_fen]
    checksum: str
    compiled_on: dt.date
    difference: dict[str, Any] | None = None  # against the version before, if any
    status: RosterStatus = RosterStatus.COMPILED
    submitted_on: dt.date | None = None

    def ensure_may_act(self, actor_id: str) -> None:
        """A roster is the district's, not one household's: no one is recused from it."""

    def superseded(self) -> "RosterHeader":
        """A newer version was compiled: a compiled one steps aside; a submitted one stays as it is."""
        return replace(self, status=RosterStatus.SUPERSEDED) if self.status == RosterStatus.COMPILED else self

    def submitted(self, on: dt.date) -> "RosterHeader":
        if self.status != RosterStatus.COMPILED:
            raise DomainRefusal(f"roster {self.roster_id} is {self.status}; only the current compiled version can be "
                                "submitted", rule=SUBMISSION_RULE, status=409)
        return replace(self, status=RosterStatus.SUBMITTED, submitted_on=on)

    def ensure_confirmable(self) -> None:
        if self.status != RosterStatus.SUBMITTED:
            raise DomainRefusal(f"roster {self.roster_id} is {self.status}; payments are confirmed on submitted "
                                "rosters", rule=CONFIRMATION_RULE, status=409)
