"""特困人员 per person (T21): who in a household is a tekun person, how well they care for themselves
(the self-care assessment, T21 art. 21–23) and how they are supported (分散 / 集中供养).

Recorded by verification with the household data (``HouseholdRecorded.tekun_persons``) and carried
on the review (``ReviewSigned.tekun_persons``); the amounts follow in the kernel (``jiuzhu_kernel.tekun``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from jiuzhu_contracts.base import Frozen
from jiuzhu_contracts.resident_id import ResidentId


class SelfCareItem(StrEnum):
    """The six items of the self-care assessment (T21 art. 21)."""

    EATING = "eating"  # 自主吃饭
    DRESSING = "dressing"  # 自主穿衣
    TRANSFERRING = "transferring"  # 自主上下床
    TOILETING = "toileting"  # 自主如厕
    INDOOR_WALKING = "indoor_walking"  # 室内行走
    BATHING = "bathing"  # 自主洗澡


class SelfCareLevel(StrEnum):
    """T21 art. 22: all six items → 全自理; up to three not → 半失能; four or more not → 全失能."""

    SELF_CARE = "self_care"  # 生活能够自理（全自理）
    SEMI_DISABLED = "semi_disabled"  # 生活部分不能自理（半失能）
    DISABLED = "disabled"  # 生活完全不能自理（全失能）


class SupportMode(StrEnum):
    """T21 art. 19–20: 分散供养 at home, or 集中供养 in a care institution."""

    DISPERSED = "dispersed"
    CENTRALISED = "centralised"


class TekunPerson(Frozen):
    """One tekun person of the household, as the investigation (or a re-assessment) found them."""

    id_number: ResidentId
    name: str = Field(min_length=1, max_length=50)
    unable: tuple[SelfCareItem, ...] = Field((), description=(
        "The items of the six the person cannot do alone (empty: all six done alone)."))
    level: SelfCareLevel = Field(description="Scored from ``unable`` (T21 art. 22).")
    assessed_on: dt.date
    support_mode: SupportMode = SupportMode.DISPERSED
    institution: str | None = Field(None, max_length=100, description="集中供养: the care institution's name.")
    care_paid_to_institution: bool = Field(False, description=(
        "集中供养: the care support is paid to the institution rather than to the person."))

    @model_validator(mode="after")
    def _institution_when_centralised(self) -> "TekunPerson":
        if self.support_mode == SupportMode.CENTRALISED and not (self.institution or "").strip():
            raise ValueError("集中供养须写明供养服务机构 / centralised support names the institution")
        if self.support_mode == SupportMode.DISPERSED and (self.institution or self.care_paid_to_institution):
            raise ValueError("分散供养没有供养服务机构 / dispersed support has no institution")
        return self
