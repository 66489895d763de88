"""The district's case register: the stage each case of every jurisdiction is at, moved by the
events of the procedure (乌尔禾区…工作方案 五(一)–(五): acceptance, home visit, review, publicity,
decision; a withdrawal; the end of support)."""

from __future__ import annotations

import enum


class Stage(enum.StrEnum):
    INVESTIGATING = "investigating"
    UNDER_REVIEW = "under_review"
    REVIEWED = "reviewed"
    IN_PUBLICITY = "in_publicity"
    AWAITING_DECISION = "awaiting_decision"
    REINVESTIGATING = "reinvestigating"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    DEEMED_WITHDRAWN = "deemed_withdrawn"
    ENDED = "ended"
    CLOSED = "closed"  # temporary assistance paid in full (issue 16 item 1)


# The stage a case is at after each event that moves it.
STAGE = {"application_accepted": Stage.INVESTIGATING, "home_visit_recorded": Stage.UNDER_REVIEW,
         "review_signed": Stage.REVIEWED, "publicity_opened": Stage.IN_PUBLICITY,
         "publicity_closed": Stage.AWAITING_DECISION, "reinvestigation_opened": Stage.REINVESTIGATING,
         "case_approved": Stage.APPROVED, "case_refused": Stage.REFUSED, "application_withdrawn": Stage.WITHDRAWN,
         "application_deemed_withdrawn": Stage.DEEMED_WITHDRAWN, "support_ended": Stage.ENDED,
         "temporary_assistance_paid": Stage.CLOSED}
CLOSED_STAGES = frozenset({Stage.REFUSED, Stage.WITHDRAWN, Stage.DEEMED_WITHDRAWN, Stage.ENDED, Stage.CLOSED})
# 先行救助 (issue 16 item 1): an approved case's means check and publicity, completed afterwards,
# do not move it back to the stages before the decision.
BEFORE_DECISION = frozenset({Stage.INVESTIGATING, Stage.UNDER_REVIEW, Stage.REVIEWED, Stage.IN_PUBLICITY,
                             Stage.AWAITING_DECISION, Stage.REINVESTIGATING})
# A late event never reopens a closed case; only the end of support follows one (it ends a
# support that was approved, whatever arrived after).
FOLLOWS_A_CLOSED_CASE = frozenset({"support_ended"})

def stage_after(current: Stage, event_type: str) -> Stage:
    """The register's stage once ``event_type`` is applied to a case at ``current`` (the adapter
    applies the same rule in its UPDATE, so that moving a stage needs no read first)."""
    new = STAGE.get(event_type)
    if new is None:
        return current
    if current in CLOSED_STAGES and event_type not in FOLLOWS_A_CLOSED_CASE:
        return current
    if current == Stage.APPROVED and new in BEFORE_DECISION:
        return current
    return new
