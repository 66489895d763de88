"""近亲属备案 (plan 四(二)3, D21 art. 11): a household that includes a close relative of a staff
member or committee cadre is flagged; that person may not investigate, review or decide it, and
the case is filed separately with the district.

A relative registered after a case was accepted flags every case of the jurisdiction, open or
supported, whose household includes that person — the same consequences as a flag at acceptance."""

from __future__ import annotations

from dataclasses import dataclass

from jiuzhu_contracts.events.intake import CloseRelativeFlag

from jiuzhu_intake.domain.application import MemberFacts
from jiuzhu_intake.domain.case_stage import CLOSED


@dataclass(frozen=True)
class RegisteredRelative:
    staff_id: str
    relative_id_number: str
    relation: str  # of the relative to the staff member


def flag_close_relatives(members: tuple[MemberFacts, ...],
                         register: list[RegisteredRelative]) -> CloseRelativeFlag | None:
    ids = {m.id_number for m in members}
    hits = [r for r in register if r.relative_id_number in ids]
    if not hits:
        return None
    return CloseRelativeFlag(
        staff_ids=tuple(sorted({h.staff_id for h in hits})),
        member_id_numbers=tuple(sorted({h.relative_id_number for h in hits})),
        relations=tuple(sorted({h.relation for h in hits})),
    )


def may_be_flagged_late(stage: str) -> bool:
    """Open cases and supported households; not refused, withdrawn or ended ones."""
    return stage not in CLOSED


def late_flag(relative: RegisteredRelative, recused: tuple[str, ...]) -> CloseRelativeFlag | None:
    """The flag a newly registered relative adds to a case whose household includes them; none when
    that staff member already recuses from the case."""
    if relative.staff_id in recused:
        return None
    return CloseRelativeFlag(staff_ids=(relative.staff_id,), member_id_numbers=(relative.relative_id_number,),
                             relations=(relative.relation,))
