"""What ``case_approved`` carries for a temporary approval (issue 16 item 1): its kind, its tranches
(paid by disbursement's one-off batches) and, for an assist-first decision, its follow-up."""

from __future__ import annotations

from jiuzhu_contracts.events.temporary import Tranche

from jiuzhu_decision.domain.temporary_grant import TemporaryGrant


def approval_fields(grant: TemporaryGrant) -> dict:
    return {"temporary_kind": grant.kind,
            "tranches": tuple(Tranche(no=t.no, amount_fen=t.amount_fen, payable_on=t.payable_on)
                              for t in grant.tranches),
            "assist_first": grant.assist_first, "follow_up": grant.follow_up, "follow_up_due": grant.follow_up_due,
            "large_amount_reason": grant.large_amount_reason}
