"""存量对象导入 (issue 15): the households a district already supports under the old system, taken
over from its own list on the day it switches over (docs/recipient-import.md).

* **All or nothing, in one unit of work.** Every row is checked (the domain, then against the people
  already on support here); if any row is bad nothing is written and the refusal names every bad
  row. A clerk fixes the file and uploads it again; a half-imported list would leave the office
  not knowing which households the new roster pays.
* **Idempotent.** A household's case id comes from the jurisdiction and its head's ID number, so
  the same household lands on the same case: a row whose household is already here is counted
  as unchanged (no event). Importing the same file twice changes nothing. A row that differs from
  the household already here is not applied either: after the import, an amount, a member or an
  account changes through the change procedure, with its notice (D21 art. 32).
* One ``recipient_migrated`` per household taken over, in the same transaction; the import itself
  is recorded (who, when, the file's SHA-256, the counts).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from jiuzhu_contracts.base import Signer
from jiuzhu_contracts.envelope import Actor
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.events.support import MigrationSource, RecipientMigrated
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.adapters import import_files, recipient_imports
from jiuzhu_decision.domain.recipient_rows import (IMPORT_RULE, RecipientRow, case_id_for, check_rows, column_index,
                                                   duplicate_rule, header_problems, problem)
from jiuzhu_decision.domain.supported_household import AmountFrom, Migration, SupportedHousehold
from jiuzhu_decision.service_layer.support import SupportContext


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    file_sha256: str
    rows: int
    imported: int
    unchanged: int
    case_ids: tuple[str, ...]


class ImportRefused(DomainRefusal):
    """422 naming every bad row: ``rows`` = [{"row", "field", "rule"}, …]."""

    def __init__(self, problems: list[dict]):
        bad = sorted({p["row"] for p in problems})
        super().__init__(f"文件中有{len(bad)}行不符合要求，本次未导入任何一户，请改正后重新导入 / {len(bad)} row(s) of the "
                         f"file are not valid; nothing was imported: correct them and import the file again",
                         rule=f"{IMPORT_RULE}: all or nothing per file", status=422, field="file",
                         details={"bad_rows": bad, "rows": problems})


def file_name_of(name: str | None) -> str:
    """The name as the clerk knows it: no folders, at most 200 characters (MigrationSource)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (base or "upload")[:200]


async def import_recipients(ctx: SupportContext, *, file_name: str, data: bytes, actor: Actor) -> ImportResult:
    file_name = file_name_of(file_name)
    sha = hashlib.sha256(data).hexdigest()
    table = import_files.read_table(file_name, data)
    if found := header_problems(table.headers):
        raise ImportRefused(found)
    index = column_index(table.headers)
    rows = [(number, {key: cells[i] if i < len(cells) else None for key, i in index.items()})
            for number, cells in table.rows]
    if not rows:
        raise import_files.FileRefused("文件中没有任何一户（第2行起每户一行）", "the file holds no household (one a row "
                                       "from row 2)")
    checked = check_rows(rows, config=ctx.config, jurisdiction=ctx.jurisdiction, today=ctx.clock.today())
    async with ctx.unit_of_work() as uow:
        await recipient_imports.lock_imports(uow.session)
        elsewhere = _supported_elsewhere(checked.households, await recipient_imports.supported_people(uow.session),
                                         ctx.jurisdiction)
        if checked.problems or elsewhere:
            raise ImportRefused(sorted([*checked.problems, *elsewhere], key=lambda p: p["row"]))
        store, imported = ctx.store(uow), []
        for row in checked.households:
            household = _household(ctx.jurisdiction, row, Migration(file_name=file_name, file_sha256=sha, row=row.row))
            if await store.add(household):
                imported.append(household.case_id)
                await uow.emit(ctx.wrap(_migrated(row, household, actor), case_id=household.case_id, actor=actor))
        await recipient_imports.record_import(
            uow.session, file_name=file_name, file_sha256=sha, actor=actor, at=ctx.clock.now(), rows=len(rows),
            imported=len(imported), unchanged=len(rows) - len(imported))
    return ImportResult(file_name, sha, len(rows), len(imported), len(rows) - len(imported), tuple(imported))


def _supported_elsewhere(households: tuple[RecipientRow, ...], supported: dict[str, str],
                         jurisdiction: str) -> list[dict]:
    """A person already on support here in another household than the one the row would be."""
    found = []
    for h in households:
        case_id = case_id_for(jurisdiction, h.head_id)
        for number in h.member_id_numbers:
            other = supported.get(number)
            if other is not None and other != case_id:
                found.append(problem(h.row, "members", duplicate_rule(number, f"已在保的{other}户",
                                                                      f"{other}, already on support here")))
                break
    return found


def _household(jurisdiction: str, row: RecipientRow, migration: Migration) -> SupportedHousehold:
    return SupportedHousehold(
        case_id=case_id_for(jurisdiction, row.head_id), category=row.category, area=row.area,
        committee=row.committee, public_name=row.head_name, household_size=len(row.members),
        member_id_numbers=row.member_id_numbers, payment_account=row.payment_account, approved_on=row.approved_on,
        amounts=(AmountFrom(row.first_month_paid, row.amount_fen),),
        migration=migration, address=row.address,
        monthly_income_fen=row.monthly_income_fen)


def _migrated(row: RecipientRow, h: SupportedHousehold, actor: Actor) -> RecipientMigrated:
    return RecipientMigrated(
        approved_on=row.approved_on, category=row.category, area=row.area, amount_fen=row.amount_fen,
        household_size=h.household_size,
        members=tuple(Member(name=m.name, id_number=m.id_number, relation=m.relation) for m in row.members),
        first_month_paid=row.first_month_paid, approving_body=row.approving_body, public_name=row.head_name,
        committee=row.committee, address=row.address, payment_account=row.payment_account,
        source=MigrationSource(file_name=h.migration.file_name, file_sha256=h.migration.file_sha256, row=row.row),
        imported_by=Signer(id=actor.id, name=actor.name, role=actor.role))


async def recent_imports(ctx: SupportContext, limit: int = 100) -> list[dict]:
    async with ctx.unit_of_work() as uow:
        return await recipient_imports.imports(uow.session, limit)
