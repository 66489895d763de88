"""特困人员 support per person (T21): the self-care assessment and the monthly amount. Money in fen.

* T21 art. 5: support is for the tekun **person**, not the household — a household of two with one
  tekun member gets one person's support, whatever its size.
* T21 art. 21–22: six items (自主吃饭、自主穿衣、自主上下床、自主如厕、室内行走、自主洗澡); all six done
  alone → 生活能够自理 (全自理); one to three not → 部分不能自理 (半失能); four or more not → 完全不能自理 (全失能).
* The amount per person = basic-living standard (基本生活标准) + care support (照料护理标准) of the
  person's level, the sum of the persons rounded by the district's rounding.
* T21 art. 23: a person whose condition changed is re-assessed within 10 days.
* 集中供养: the care support may be paid to the institution; the amount is the same, what differs is
  whom it is paid to (``Share.to_institution``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jiuzhu_contracts.base import Area, Category
from jiuzhu_contracts.tekun import SelfCareItem, SelfCareLevel, SupportMode, TekunPerson
from jiuzhu_kernel.district_config import DistrictConfig
from jiuzhu_kernel.refusal import DomainRefusal

LEVEL_ZH = {SelfCareLevel.SELF_CARE: "全自理", SelfCareLevel.SEMI_DISABLED: "半失能",
            SelfCareLevel.DISABLED: "全失能"}
ITEM_ZH = {SelfCareItem.EATING: "自主吃饭", SelfCareItem.DRESSING: "自主穿衣", SelfCareItem.TRANSFERRING: "自主上下床",
           SelfCareItem.TOILETING: "自主如厕", SelfCareItem.INDOOR_WALKING: "室内行走", SelfCareItem.BATHING: "自主洗澡"}
MODE_ZH = {SupportMode.DISPERSED: "分散供养", SupportMode.CENTRALISED: "集中供养"}
ASSESSMENT_RULE = "T21 art. 21–22: six items; all done alone 全自理, up to three not 半失能, four or more not 全失能"
PERSON_RULE = "T21 art. 5: tekun support is per tekun person, who must be a member of the household"
REASSESSMENT_RULE = "T21 art. 23: a tekun person whose condition changed is re-assessed within {n} days"


def self_care_level(unable: Iterable[SelfCareItem]) -> SelfCareLevel:
    """T21 art. 22: the level from the items the person cannot do alone."""
    n = len(set(unable))
    if n == 0:
        return SelfCareLevel.SELF_CARE
    return SelfCareLevel.SEMI_DISABLED if n <= 3 else SelfCareLevel.DISABLED


def assessed(*, id_number: str, name: str, unable: Iterable[SelfCareItem], assessed_on: dt.date,
             support_mode: SupportMode = SupportMode.DISPERSED, institution: str | None = None,
             care_paid_to_institution: bool = False) -> TekunPerson:
    """A tekun person as assessed: the level is always the one the items give, never typed in."""
    items = tuple(sorted(set(unable), key=list(SelfCareItem).index))
    return TekunPerson(id_number=id_number, name=name, unable=items, level=self_care_level(items),
                       assessed_on=assessed_on, support_mode=support_mode, institution=institution,
                       care_paid_to_institution=care_paid_to_institution)


def reassessment_due(reported_on: dt.date, config: DistrictConfig) -> dt.date:
    """T21 art. 23: the re-assessment is completed by this day (calendar days from the report)."""
    return reported_on + dt.timedelta(days=config.tekun.reassessment_days)


@dataclass(frozen=True)
class Share:
    """One tekun person's monthly support."""

    name: str
    level: SelfCareLevel
    basic_fen: int
    care_fen: int
    to_institution: str | None  # 集中供养 with the care support paid to the institution

    @property
    def total_fen(self) -> int:
        return self.basic_fen + self.care_fen

    def reason(self) -> str:
        paid = f"，照料护理费付{self.to_institution}" if self.to_institution else ""
        return (f"{self.name}：基本生活{self.basic_fen / 100:.2f}元＋照料护理（{LEVEL_ZH[self.level]}）"
                f"{self.care_fen / 100:.2f}元={self.total_fen / 100:.2f}元{paid}")


def shares(persons: Sequence[TekunPerson], area: Area, year: int, jurisdiction: str,
           config: DistrictConfig) -> tuple[Share, ...]:
    """Each tekun person's basic living + care support by their level (T21 art. 5, 21–23)."""
    basic = config.standard(Category.TEKUN, area, year, jurisdiction)
    out = []
    for p in persons:
        level = self_care_level(p.unable)
        to = p.institution if p.support_mode == SupportMode.CENTRALISED and p.care_paid_to_institution else None
        out.append(Share(p.name, level, basic, config.care_standard(level, area, year, jurisdiction), to))
    return tuple(out)


def ensure_persons(persons: Sequence[TekunPerson], member_ids: Iterable[str]) -> None:
    """Each tekun person is a member of the household, once; the level is the items' (T21 art. 21–22).
    A 422 naming every problem at once."""
    members, seen, problems = set(member_ids), set(), []

    def problem(field: str, zh: str, en: str, rule: str) -> None:  # the shape of input_limits' problems
        problems.append({"field": field, "rule": f"{zh} / {en} ({rule})", "message": f"{zh} / {en}", "base": rule})

    for i, p in enumerate(persons):
        if p.id_number not in members:
            problem(f"tekun_persons.{i}.id_number", f"特困人员{p.name}不是本户成员", f"{p.name} is not a member of the "
                    "household", PERSON_RULE)
        elif p.id_number in seen:
            problem(f"tekun_persons.{i}.id_number", f"特困人员{p.name}重复", f"{p.name} is listed twice", PERSON_RULE)
        seen.add(p.id_number)
        if p.level != self_care_level(p.unable):
            right = self_care_level(p.unable)
            problem(f"tekun_persons.{i}.level", f"{len(p.unable)}项不能自理应评为{LEVEL_ZH[right]}",
                    f"{len(p.unable)} items not done alone score {right.value}", ASSESSMENT_RULE)
    if problems:
        first = problems[0]
        raise DomainRefusal(first["message"], rule=first["base"], status=422, field=first["field"],
                            details={"errors": [{"field": p["field"], "rule": p["rule"]} for p in problems]})
