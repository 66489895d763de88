"""Events of district supervision (SPEC §5.6, §6, plan 四(一), 六(二)). Published by ``oversight``."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field

from jiuzhu_contracts.base import Due, Frozen, Month
from jiuzhu_contracts.envelope import Event
from jiuzhu_contracts.holiday_calendar import HolidayFile


class SpotCheckSelected(Event):
    """A filing drawn for a spot check (≥ 30 % per jurisdiction per month; forced inclusions)."""

    event_type: ClassVar[str] = "spot_check_selected"
    producer: ClassVar[str] = "oversight"

    month: Month
    seed: str = Field(description="Recorded so an auditor can redraw the same sample.")
    drawn_because: str = Field(description="random | close_relative | objection | report")


class SpotCheckFindings(Frozen):
    target_correct: bool  # 对象认定是否准确
    procedure_followed: bool  # 办理程序是否规范
    materials_complete: bool  # 审批材料是否齐全


class SpotCheckCompleted(Event):
    event_type: ClassVar[str] = "spot_check_completed"
    producer: ClassVar[str] = "oversight"

    findings: SpotCheckFindings
    feedback: str = Field(description="书面反馈 sent to the jurisdiction.")
    document_no: str
    completed_on: dt.date


class RectificationOrdered(Event):
    """书面限期整改 (plan 六(二)); case events carry case_id, 漏保 reports may not."""

    event_type: ClassVar[str] = "rectification_ordered"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    order_no: str
    concerning_case: str | None
    kind: str = Field(description="irregular_approval | missed_coverage | procedure")
    findings: str
    due: Due


class RectificationAnswered(Event):
    event_type: ClassVar[str] = "rectification_answered"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    order_no: str
    answered_on: dt.date
    answer: str


class RectificationEscalated(Event):
    event_type: ClassVar[str] = "rectification_escalated"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    order_no: str
    escalated_on: dt.date
    overdue_since: dt.date


class DeadlineBreached(Event):
    """Raised once, the first business day after a clock's due date passes unsatisfied."""

    event_type: ClassVar[str] = "deadline_breached"
    producer: ClassVar[str] = "oversight"

    clock: str
    due_on: dt.date
    detected_on: dt.date
    started_by_event: str
    responsible: tuple[str, ...] = Field(description="Ids of the people responsible for the stage.")


class DuplicateBeneficiaryDetected(Event):
    """The same resident ID in open or active cases of two jurisdictions."""

    event_type: ClassVar[str] = "duplicate_beneficiary_detected"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    id_number_hash: str = Field(description="SHA-256 of the ID number; the number stays off the bus here.")
    cases: tuple[str, ...] = Field(min_length=2)
    jurisdictions: tuple[str, ...] = Field(min_length=2)


class AuditCheckpointRecorded(Event):
    """The head of oversight's audit chain, put on the append-only events stream so that a later
    truncation or rewrite of the chain in oversight's database no longer verifies. Oversight does
    not append these to the chain it describes (the chain commits to the stream, the checkpoint
    commits to the chain; never both ways)."""

    event_type: ClassVar[str] = "audit_checkpoint_recorded"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    last_seq: int = Field(ge=0, description="Sequence number of the chain's last entry (0: empty chain).")
    head_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="Hash of that entry (the genesis hash if empty).")
    entries: int = Field(ge=0, description="Number of entries in the chain up to and including last_seq.")
    recorded_at: AwareDatetime = Field(description="When the head was read.")
    trigger: Literal["entries", "period", "on_demand"] = Field(description="What caused this checkpoint.")


class HolidayCalendarPublished(Event):
    """A year of the working-day calendar (the State Council's notice, or a region's own holidays),
    loaded by the bureau. Every service applies it to its calendar, so all compute the same
    deadlines; a later file for the same year and scope replaces an earlier one."""

    event_type: ClassVar[str] = "holiday_calendar_published"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    calendar: HolidayFile
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the calendar as published (JSON).")


class DeadlineRecomputed(Event):
    """A clock's due date computed again on a calendar that changed since it started: a provisional
    deadline (a year the calendar did not know) once the year's notice is loaded, or any deadline a
    region's holidays move. Oversight's clock follows ``due``."""

    event_type: ClassVar[str] = "deadline_recomputed"
    producer: ClassVar[str] = "oversight"

    clock: str
    started_by_event: str = Field(description="The event that started the clock.")
    previous_due_on: dt.date
    previous_provisional: bool
    due: Due = Field(description="The period recomputed: same start, working days and rule; new end.")
    calendar_event: str | None = Field(None, description="The holiday_calendar_published that caused it, if one did.")
