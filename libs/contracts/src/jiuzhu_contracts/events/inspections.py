"""Inspections (督查) and accountability (追责) (乌尔禾区工作方案 六(二): 区民政局将会同同级纪委监委、
财政等部门组成工作组，定期或不定期到街道（乡镇）进行督查，对“漏保”或审批不规范行为书面限期进行整改，
对于救助审核审批环节中的违规问题，根据有关程序予以追责). Published by ``oversight``.

What is on the bus: numbers, dates, the jurisdictions and cases concerned, the bodies of the
working group, severities. What is not: the findings' text, the names or staff ids of the people a
finding or an accountability record concerns, the facts and the measure taken — a disciplinary
matter is read only in oversight's register by the bureau, its inspectors and the person's own
jurisdiction's leader. ``record_sha256`` lets an auditor check that the register's record is the
one recorded, without reading it.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from jiuzhu_contracts.envelope import Event


class InspectionRecorded(Event):
    """A joint inspection (联合督查) the bureau's working group carried out."""

    event_type: ClassVar[str] = "inspection_recorded"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    inspection_no: str
    kind: str = Field(description="regular (定期) | unannounced (不定期)")
    started_on: dt.date
    ended_on: dt.date
    jurisdictions: tuple[str, ...] = Field(description="The jurisdictions visited.")
    bodies: tuple[str, ...] = Field(description="civil_affairs | discipline_inspection | finance | audit | other")
    cases_checked: tuple[str, ...] = Field(description="The cases whose files were drawn and read.")
    files_checked: int = Field(ge=0, description="How many files (案卷) were read in all.")


class InspectionFindingRecorded(Event):
    """One finding of an inspection, about a jurisdiction and perhaps one of its staff (not named
    here) and one case; ``rectification_order`` when it was ordered rectified at once."""

    event_type: ClassVar[str] = "inspection_finding_recorded"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    inspection_no: str
    finding_no: str
    concerning_case: str | None = None
    kind: str = Field(description="missed_coverage | irregular_approval | procedure | conduct")
    severity: str = Field(description="minor (一般) | serious (较重) | grave (严重)")
    concerns_staff: bool = Field(description="The finding names a member of staff (in the register only).")
    rectification_order: str | None = None


class AccountabilityRecorded(Event):
    """追责: a record about one person, on a breach, a spot check, an inspection finding, a petition
    or a rectification order. Who, the facts, the procedure and the measure stay in the register."""

    event_type: ClassVar[str] = "accountability_recorded"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    record_no: str
    basis: str = Field(description="breach | spot_check | inspection_finding | petition | rectification")
    basis_ref: str = Field(description="The breached clock's opening event id, the case checked, the finding "
                                       "number, the petition number or the order number.")
    concerning_jurisdiction: str = Field(description="The person's jurisdiction (the district's code: bureau staff).")
    recorded_on: dt.date
    record_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the record as registered.")


class AccountabilityConcluded(Event):
    """A referred record's outcome (the measure decided by the body it was referred to) entered."""

    event_type: ClassVar[str] = "accountability_concluded"
    scope: ClassVar[str] = "district"
    producer: ClassVar[str] = "oversight"

    record_no: str
    concluded_on: dt.date
    record_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the record as it now stands.")
