"""Building blocks for intake tests: valid households with synthetic ID numbers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from jiuzhu_contracts.base import Area, Category
from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_kernel.district_config import load_district_config

from jiuzhu_intake.domain.application import ApplicationContent, HandedIn, MemberFacts

CONFIG = load_district_config(Path(__file__).resolve().parents[3] / "config" / "urho.toml")
LIUSHUJIE, URHO_TOWN, PARK = "650205001", "650205100", "650205400"
COMMITTEE = "柳树街社区居民委员会"

APPLICANT = MemberFacts(name="张三", id_number=synthetic_id(seq="011"), relation="self")
SPOUSE = MemberFacts(name="李四", id_number=synthetic_id(born="19820202", seq="022"), relation="spouse")
CHILD = MemberFacts(name="张小三", id_number=synthetic_id(born="20100515", seq="033"), relation="child",
                    in_school=True)

BASIC = ("application_form", "id_cards", "household_register")


def content(category: Category = Category.DIBAO, members=(APPLICANT,), handed_in=BASIC + ("income_proof",),
            **changes) -> ApplicationContent:
    base = ApplicationContent(
        category=category, area=Area.URBAN, registration_jurisdiction=LIUSHUJIE, address="柳树街1号",
        committee=COMMITTEE, members=tuple(members), declared_monthly_income_fen=50000, declared_assets_fen=0,
        payment_account="6222020000000001", contact_phone="13912345678", reason="失业", consent_signed=True,
        handed_in=tuple(h if isinstance(h, HandedIn) else HandedIn(h) for h in handed_in))
    return replace(base, **changes)
