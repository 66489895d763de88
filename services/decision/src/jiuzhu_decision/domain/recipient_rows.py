"""存量对象导入: the rows of a district's own list of the households it already supports, checked
one by one before any of them is taken over (issue 15; docs/recipient-import.md).

The file's columns are fixed and documented (``COLUMNS``, in the order of the template). Every cell
is checked and every problem is reported as ``{"row", "field", "rule"}`` — the spreadsheet row
(the header is row 1), the column's Chinese header, and the rule in Chinese and English — so the
clerk fixes the whole file at once. Nothing here reads a file or a database: the adapter hands
over the cells as the file held them (text, a number, a date), and the service layer adds the
checks against what is already supported here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jiuzhu_contracts.base import ApprovingBody, Area, Category
from jiuzhu_kernel.district_config import DistrictConfig
from jiuzhu_kernel.input_limits import amount_problem, month_of, month_problem
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_decision.domain import recipient_cells as read
from jiuzhu_decision.domain.authority import rule_in_force
from jiuzhu_decision.domain.recipient_cells import Cell, MemberLine

Problem = dict[str, object]

IMPORT_RULE = "issue 15 / docs/recipient-import.md: 存量对象导入"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header, as in the template (compared after NFKC: full-width brackets match)
    meaning: str  # what to write, in Chinese and English (the template's notes, the docs)
    example: str
    text: bool = False  # typed as text in the XLSX template (long digit strings Excel would round)


COLUMNS: tuple[Column, ...] = (
    Column("head_name", "户主姓名", "户主（申请人）姓名 / the head of household's name", "张三"),
    Column("head_id", "户主身份证号", "18位居民身份证号码 / resident ID number (GB 11643)", "650205198001010012", True),
    Column("category", "类别", "低保、特困或低收入（不含临时救助）/ dibao, tekun or low_income (not temporary)", "低保"),
    Column("area", "城乡", "城市或农村 / urban or rural", "城市"),
    Column("committee", "居（村）委会", "本街道（乡镇）的居（村）委会全称 / the committee's full name in this jurisdiction",
           "柳树街社区居民委员会"),
    Column("address", "地址", "家庭住址 / the household's address", "柳树街1号"),
    Column("members", "家庭成员", "姓名:身份证号:关系，以分号分隔，含户主本人 / name:ID:relation;… including the head",
           "张三:650205198001010012:本人;张小三:650205201001010015:子女", True),
    Column("amount", "月保障金额(元)", "每月发放金额，元，至多两位小数 / the monthly amount in yuan, ≤ 2 decimals", "1300.00"),
    Column("income", "家庭月收入(元)", "核定的家庭月收入，元 / the household's counted monthly income in yuan", "500.00"),
    Column("approved_on", "原批准日期", "原系统批准日期 YYYY-MM-DD / approved under the old system on", "2020-06-15"),
    Column("first_month", "本系统起发月份", "本系统首次发放的月份 YYYY-MM / the first month this system pays", "2022-04"),
    Column("account", "收款账号", "收款银行账号，12至30位数字 / bank account for payment, 12–30 digits",
           "6222000000000000", True),
)
BY_HEADER = {unicodedata.normalize("NFKC", c.header): c for c in COLUMNS}
HEADER = {c.key: c.header for c in COLUMNS}

CATEGORIES = {"低保": Category.DIBAO, "最低生活保障": Category.DIBAO, "城乡低保": Category.DIBAO, "dibao": Category.DIBAO,
              "特困": Category.TEKUN, "特困供养": Category.TEKUN, "特困人员": Category.TEKUN, "tekun": Category.TEKUN,
              "低收入": Category.LOW_INCOME, "低收入家庭": Category.LOW_INCOME, "low_income": Category.LOW_INCOME,
              "临时救助": Category.TEMPORARY, "temporary": Category.TEMPORARY}
AREAS = {"城市": Area.URBAN, "城镇": Area.URBAN, "urban": Area.URBAN, "农村": Area.RURAL, "rural": Area.RURAL}


@dataclass(frozen=True)
class RecipientRow:
    """One household of the file, every cell checked."""

    row: int
    head_name: str
    head_id: str
    category: Category
    area: Area
    committee: str
    address: str
    members: tuple[MemberLine, ...]
    amount_fen: int
    monthly_income_fen: int
    approved_on: dt.date
    first_month_paid: str
    payment_account: str
    approving_body: ApprovingBody  # who held the authority on the old approval's date (the registry)

    @property
    def member_id_numbers(self) -> tuple[str, ...]:
        return tuple(m.id_number for m in self.members)


def problem(row: int, key_or_header: str, rule: str) -> Problem:
    return {"row": row, "field": HEADER.get(key_or_header, key_or_header), "rule": rule}


# --- the header row -----------------------------------------------------------------------------

def header_problems(headers: Iterable[Cell]) -> list[Problem]:
    """Every documented column present once; other columns (序号, 备注…) are ignored."""
    seen = [unicodedata.normalize("NFKC", str(h or "")).strip() for h in headers]
    found: list[Problem] = []
    for c in COLUMNS:
        count = seen.count(unicodedata.normalize("NFKC", c.header))
        if count == 0:
            found.append(problem(1, c.key, f"缺少列“{c.header}”：第1行须为模板的列名 / the column “{c.header}” is "
                                           f"missing: row 1 must hold the template's headers ({IMPORT_RULE})"))
        elif count > 1:
            found.append(problem(1, c.key, f"列“{c.header}”出现{count}次 / the column “{c.header}” appears "
                                           f"{count} times ({IMPORT_RULE})"))
    return found


def column_index(headers: Iterable[Cell]) -> dict[str, int]:
    """Column key → position, for a header row without problems."""
    return {BY_HEADER[h].key: i for i, h in enumerate(unicodedata.normalize("NFKC", str(x or "")).strip()
                                                       for x in headers) if h in BY_HEADER}


# --- one row ------------------------------------------------------------------------------------

def check_row(row: int, cells: Mapping[str, Cell], *, config: DistrictConfig, jurisdiction: str,
              today: dt.date) -> RecipientRow | list[Problem]:
    """The household of one row, or every problem of the row."""
    found: list[Problem] = []
    values: dict[str, object] = {}
    limits = config.limits
    committees = {unicodedata.normalize("NFKC", c).strip(): c for c in config.jurisdiction(jurisdiction).committees}

    def cell(key: str, reader, *args):
        try:
            values[key] = reader(cells.get(key), *args)
        except read.Bad as bad:
            found.append(problem(row, key, f"{bad.rule} ({IMPORT_RULE})"))

    cell("head_name", lambda v: read.text(v, limit=50))
    cell("head_id", read.resident_id, today, config)
    cell("category", lambda v: read.choice(v, CATEGORIES, "低保、特困、低收入", "dibao, tekun, low_income"))
    cell("area", lambda v: read.choice(v, AREAS, "城市、农村", "urban, rural"))
    cell("committee", lambda v: read.choice(v, committees, "、".join(committees), ", ".join(committees)))
    cell("address", read.text)
    cell("members", read.members, today, config)
    cell("amount", read.yuan_to_fen)
    cell("income", read.yuan_to_fen)
    cell("approved_on", read.date)
    cell("first_month", read.month)
    cell("account", lambda v: read.account(read.digits_as_text(v)))

    def rule(key: str, zh: str, en: str, source: str = IMPORT_RULE) -> None:
        found.append(problem(row, key, f"{zh} / {en} ({source})"))

    if values.get("category") is Category.TEMPORARY:
        rule("category", "临时救助是一次性救助，不是在保对象，不能导入", "temporary assistance is paid once; it is not a "
             "standing support and cannot be imported", "L18; D21 art. 31")
        del values["category"]
    if "amount" in values:
        if values["amount"] == 0:
            rule("amount", "在保户的月保障金额须大于0", "a household on support is paid more than 0 a month")
        elif p := amount_problem("amount", values["amount"], limit=limits.amount_per_month_fen,
                                 name="amount_per_month_fen", what_zh="月保障金额"):
            found.append(problem(row, "amount", p["rule"]))
    if "income" in values and (p := amount_problem("income", values["income"],
                                                    limit=limits.household_monthly_income_fen,
                                                    name="household_monthly_income_fen", what_zh="家庭月收入")):
        found.append(problem(row, "income", p["rule"]))
    approved_on = values.get("approved_on")
    if approved_on is not None:
        if approved_on > today:
            rule("approved_on", f"原批准日期{approved_on}晚于业务日期{today}", f"the approval date {approved_on} is "
                 f"after the business day {today}")
            del values["approved_on"]
        elif "category" in values:
            try:
                values["body"] = rule_in_force(config, jurisdiction, values["category"], approved_on).body
            except DomainRefusal as refused:
                rule("approved_on", f"{approved_on}没有登记的审批机关，日期不合理", f"no approving body is registered on "
                     f"{approved_on}: {refused.message}", refused.rule)
    if (first := values.get("first_month")) is not None:
        if p := month_problem("first_month", first, today=today, limits=limits,
                              not_before=month_of(approved_on) if approved_on else None,
                              not_before_zh="原批准月份", not_before_en="the month of the old approval"):
            found.append(problem(row, "first_month", p["rule"]))
    if "members" in values and "head_id" in values:
        heads = [m for m in values["members"] if m.id_number == values["head_id"]]
        if not heads:
            rule("members", "家庭成员须包含户主本人（户主身份证号）", "the members must include the head of household "
                 "(by the head's ID number)")
        elif heads[0].relation != "self":
            rule("members", "户主在家庭成员中的关系须为“本人”", "the head's relation among the members must be self (本人)")
        elif "head_name" in values and heads[0].name != values["head_name"]:
            rule("members", f"家庭成员中户主的姓名“{heads[0].name}”与户主姓名“{values['head_name']}”不符",
                 f"the head's name among the members “{heads[0].name}” differs from the head's name")
        elif sum(m.relation == "self" for m in values["members"]) > 1:
            rule("members", "只有户主的关系可为“本人”", "only the head of household is self (本人)")
    if found:
        return found
    return RecipientRow(
        row=row, head_name=values["head_name"], head_id=values["head_id"], category=values["category"],
        area=values["area"], committee=values["committee"], address=values["address"], members=values["members"],
        amount_fen=values["amount"], monthly_income_fen=values["income"], approved_on=values["approved_on"],
        first_month_paid=values["first_month"], payment_account=values["account"], approving_body=values["body"])


# --- the whole file -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckedFile:
    households: tuple[RecipientRow, ...]
    problems: tuple[Problem, ...]  # empty: every row may be imported


def check_rows(rows: Iterable[tuple[int, Mapping[str, Cell]]], *, config: DistrictConfig, jurisdiction: str,
               today: dt.date) -> CheckedFile:
    """Every row on its own, then across rows: one person belongs to one household of the file."""
    households: list[RecipientRow] = []
    problems: list[Problem] = []
    for row, cells in rows:
        checked = check_row(row, cells, config=config, jurisdiction=jurisdiction, today=today)
        if isinstance(checked, RecipientRow):
            households.append(checked)
        else:
            problems.extend(checked)
    rows_of: dict[str, list[int]] = {}
    for h in households:
        for number in h.member_id_numbers:
            rows_of.setdefault(number, []).append(h.row)
    for h in households:
        for number in h.member_id_numbers:
            others = [r for r in rows_of[number] if r != h.row]
            if others:
                problems.append(problem(h.row, "members", duplicate_rule(number, f"第{'、'.join(map(str, others))}行",
                                                                         f"row(s) {', '.join(map(str, others))}")))
                break
    bad = {p["row"] for p in problems}
    order = {c.header: n for n, c in enumerate(COLUMNS)}
    return CheckedFile(tuple(h for h in households if h.row not in bad),
                       tuple(sorted(problems, key=lambda p: (p["row"], order.get(p["field"], -1)))))


def duplicate_rule(id_number: str, where_zh: str, where_en: str) -> str:
    """One person is supported in one household (D21 art. 7: 共同生活的家庭成员)."""
    masked = id_number[:3] + "*" * 11 + id_number[-4:]
    return (f"身份证号 {masked} 也在{where_zh}的家庭中 / the person with ID {masked} is also in the household of "
            f"{where_en} (D21 art. 7: one person belongs to one household)")


def case_id_for(jurisdiction: str, head_id: str) -> str:
    """Deterministic: the same head of household always lands on the same case (importing twice
    changes nothing)."""
    return f"{jurisdiction}-CL-{hashlib.sha256(head_id.encode()).hexdigest()[:10]}"
