"""近亲属备案 (plan 四(二)3, D21 art. 11): a household that includes a close relative of a staff
member or committee cadre is flagged; that person may not investigate, review or decide it, and
the case is filed separately with the district."""

from __future__ import annotations

from dataclasses import dataclass

from jiuzhu_contracts.events.intake import CloseRelativeFlag

from jiuzhu_intake.domain.application import MemberFacts


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
