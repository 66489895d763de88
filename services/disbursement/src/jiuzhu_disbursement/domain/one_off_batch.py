"""One-off payment batches for temporary assistance (L18 §2(四); issue 16 item 1): outside the
monthly roster, the same guarantee — a tranche is paid once. Pure rules: the canonical export the
checksum covers, and when a case is paid in full."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from enum import StrEnum

from jiuzhu_disbursement.domain.roster import quote

HEADER = "jurisdiction,case_id,tranche,amount_fen,name,account,carried"
ONE_PAYMENT_RULE = "a tranche of temporary assistance is paid once (tranche_claims primary key: case, tranche)"
NOTHING_PAYABLE_RULE = "L18 §2(四): a one-off batch carries the tranches payable by today and not yet paid"


@dataclass(frozen=True)
class BatchLine:
    jurisdiction: str
    case_id: str
    tranche: int
    amount_fen: int
    name: str
    account: str
    carried: bool


def batch_id(scope: str, issued_on, n: int) -> str:
    return f"LS-{scope}-{issued_on:%Y%m%d}-{n}"


def canonical(lines: list[BatchLine]) -> str:
    ordered = sorted(lines, key=lambda l: (l.jurisdiction, l.case_id, l.tranche))
    return HEADER + "\n" + "".join(
        ",".join((l.jurisdiction, l.case_id, str(l.tranche), str(l.amount_fen), quote(l.name), quote(l.account),
                  "carried" if l.carried else "new")) + "\n" for l in ordered)


def checksum(lines: list[BatchLine]) -> str:
    return hashlib.sha256(canonical(lines).encode()).hexdigest()


def paid_in_full(tranches: int, paid: int) -> bool:
    """The case closes once every tranche its decision set is paid (issue 16 item 1)."""
    return paid >= tranches


class BatchStatus(StrEnum):
    ISSUED = "issued"  # sent to finance; some lines not confirmed yet
    CONFIRMED = "confirmed"  # every line confirmed, paid or failed


@dataclass(frozen=True)
class OneOffBatch:
    """A batch's header as an aggregate; its lines and claims are rows of their own."""

    batch_id: str
    scope: str
    issued_on: dt.date
    lines: int
    total_fen: int
    checksum: str
    status: BatchStatus = BatchStatus.ISSUED

    def ensure_may_act(self, actor_id: str) -> None:
        """A batch is the district's, not one household's: no one is recused from it."""

    def confirmed(self) -> "OneOffBatch":
        """Its last line confirmed (once: a confirmed batch stays so)."""
        return replace(self, status=BatchStatus.CONFIRMED)
