"""An application as the window holds it, from its first submission to its acceptance (plan 五(一)):
what was last handed in, how many times, the one-time notice if one was given (with the content it
was given for, which a later notice may not go beyond), and the case it became."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from jiuzhu_contracts.events.intake import MissingItem

from jiuzhu_intake.domain.application import ApplicationContent, ApplicationStatus, ensure_resubmittable
from jiuzhu_intake.domain.one_time_notice import PriorNotice


@dataclass(frozen=True)
class Application:
    application_id: str
    content: ApplicationContent  # as last submitted
    status: ApplicationStatus = ApplicationStatus.SUBMITTED
    submissions: int = 1
    # The one-time notice, kept as it was given (a second notice never replaces it).
    notice_no: str | None = None
    notice_items: tuple[MissingItem, ...] | None = None
    notice_content: ApplicationContent | None = None
    notice_issued_on: dt.date | None = None
    case_id: str | None = None  # once accepted

    def ensure_may_act(self, actor_id: str) -> None:
        """Recusal is the case's (a close relative is flagged on acceptance), not the application's."""

    @property
    def prior_notice(self) -> PriorNotice | None:
        if self.notice_no is None:
            return None
        return PriorNotice(self.notice_no, self.notice_items or (), self.notice_content or self.content)

    def resubmitted(self, content: ApplicationContent) -> "Application":
        """Handed in again after the one-time notice (only then)."""
        ensure_resubmittable(self.application_id, self.status)
        return replace(self, content=content, submissions=self.submissions + 1)

    def awaiting_correction(self, notice_no: str, items: tuple[MissingItem, ...], issued_on: dt.date,
                            *, first: bool) -> "Application":
        """Incomplete: sent back with the items to bring. The first notice and the content it was
        given for are kept as they were; a later one changes only the status."""
        if not first:
            return replace(self, status=ApplicationStatus.AWAITING_CORRECTION)
        return replace(self, status=ApplicationStatus.AWAITING_CORRECTION, notice_no=notice_no, notice_items=items,
                       notice_content=self.content, notice_issued_on=issued_on)

    def accepted(self, case_id: str) -> "Application":
        return replace(self, status=ApplicationStatus.ACCEPTED, case_id=case_id)
