"""Value types shared by every contract: roles, categories, money, dates that carry a deadline."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Role(StrEnum):
    """SPEC §2: the roles a person (or machine client) may hold."""

    CLERK = "clerk"
    INVESTIGATOR = "investigator"
    REVIEWER = "reviewer"
    COMMITTEE = "committee"
    LEADER = "leader"
    INSPECTOR = "inspector"
    BUREAU_ADMIN = "bureau_admin"
    FINANCE = "finance"
    AUDITOR = "auditor"
    CHECK_CENTRE = "check_centre"
    SYSTEM = "system"  # the software itself: timers, relays, computed findings


# What staff call each role (the console's words, and the refusals' Chinese half).
ROLE_TITLES = {Role.CLERK: "窗口受理", Role.INVESTIGATOR: "调查员", Role.REVIEWER: "审核人", Role.COMMITTEE: "居（村）委会",
               Role.LEADER: "分管领导", Role.INSPECTOR: "区民政局督查", Role.BUREAU_ADMIN: "区民政局社会救助科",
               Role.FINANCE: "财政", Role.AUDITOR: "审计", Role.CHECK_CENTRE: "核对中心", Role.SYSTEM: "系统"}


class Category(StrEnum):
    """SPEC §4: assistance categories."""

    DIBAO = "dibao"  # 城乡最低生活保障
    TEKUN = "tekun"  # 城乡特困人员救助供养
    LOW_INCOME = "low_income"  # 城乡低收入家庭
    TEMPORARY = "temporary"  # 临时救助


class TemporaryKind(StrEnum):
    """L18 §1(二), N22 §4: the two kinds of temporary assistance, recorded on the application."""

    EMERGENCY = "emergency"  # 急难型: a sudden accident, illness or disaster
    EXPENDITURE = "expenditure"  # 支出型: necessary spending beyond what the household can bear


class Area(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


class ApprovingBody(StrEnum):
    """SPEC §3: who may decide a (jurisdiction, category) on a date."""

    JURISDICTION = "jurisdiction"  # 街道办事处主任 / 镇长 after devolution
    DISTRICT_BUREAU = "district_bureau"  # 区民政局 before devolution or where never devolved


# Money is integer fen (分), never float (SPEC §4). Strict: 12.0 is refused, not coerced.
Fen = Annotated[StrictInt, Field(ge=0, description="Amount in fen (分), integer. 1 元 = 100 fen.")]
SignedFen = Annotated[StrictInt, Field(description="Signed amount in fen (分), integer.")]

Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Calendar month, YYYY-MM.")]


class Due(Frozen):
    """A deadline started by an event (SPEC §7: every deadline is computed and carried on events).

    ``provisional`` is true when the working-day calendar did not know every day in the range
    (a year beyond the official calendar and no operator holiday file): oversight shows it as such.
    """

    clock: str = Field(description="Name of the clock, e.g. 'investigation', 'review', 'publicity'.")
    due_on: dt.date = Field(description="Last day on which the duty is still on time.")
    working_days: int = Field(ge=0, description="Length of the period in working days.")
    starts_after: dt.date = Field(description="The day the period starts from; not counted itself.")
    rule: str = Field(description="Where the period comes from, e.g. 'Urho plan 五(二): 10 working days'.")
    provisional: bool = False


class Signer(Frozen):
    """A named person who signed something ("谁调查、谁签字、谁负责")."""

    id: str
    name: str
    role: Role
