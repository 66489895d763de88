"""Every message a consumer of the district refused, recorded once with its reason (the security
alerts and the stranded cases are read from this register: service_layer/queries.py)."""

from __future__ import annotations

from jiuzhu_oversight.adapters import dead_letter_register
from jiuzhu_oversight.service_layer.context import Oversight


async def record(ctx: Oversight, seq: int, subject: str, headers: dict[str, str], body: bytes) -> None:
    async with ctx.unit_of_work() as uow:
        await dead_letter_register.record(uow.session, seq, subject, headers, body)
