"""A temporary approval's tranches, registered for the one-off batches (issue 16 item 1): a
redelivered approval registers nothing twice (primary key: case, tranche)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert

from jiuzhu_contracts.base import Category
from jiuzhu_contracts.events.temporary import Tranche

from jiuzhu_disbursement.adapters.one_off_tables import temporary_tranches


async def register_tranches(env, uow) -> None:
    p = env.payload
    if p.category != Category.TEMPORARY or p.amount_fen <= 0:
        return
    # An approval written before tranches existed pays its whole amount once, from its day.
    tranches = p.tranches or (Tranche(no=1, amount_fen=p.amount_fen, payable_on=p.decided_on),)
    await uow.session.execute(pg_insert(temporary_tranches).values([
        {"case_id": env.case_id, "tranche": t.no, "jurisdiction": env.jurisdiction, "public_name": p.public_name,
         "payment_account": p.payment_account, "amount_fen": t.amount_fen, "payable_on": t.payable_on,
         "tranches": len(tranches)} for t in tranches]).on_conflict_do_nothing())
