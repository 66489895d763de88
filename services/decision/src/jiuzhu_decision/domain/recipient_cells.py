"""The cells of a row of the 存量对象 file (recipient_rows): each reader takes a cell as the file
held it (text, a number, a date) and returns the value or raises ``Bad`` with the rule broken, in
Chinese and English."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jiuzhu_contracts.resident_id import InvalidResidentId, validate_resident_id
from jiuzhu_kernel.district_config import DistrictConfig
from jiuzhu_kernel.input_limits import birth_date_problem, month_of

Cell = str | int | float | Decimal | dt.date | dt.datetime | None

RELATIONS = {
    "self": ("本人", "户主"), "spouse": ("配偶", "妻子", "丈夫", "妻", "夫"),
    "child": ("子女", "儿子", "女儿", "子", "女"), "parent": ("父母", "父亲", "母亲", "父", "母"),
    "sibling": ("兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹"),
    "grandparent": ("祖父母", "外祖父母", "祖父", "祖母", "外祖父", "外祖母"),
    "grandchild": ("孙子女", "外孙子女", "孙子", "孙女", "外孙", "外孙女"), "other": ("其他",)}
RELATION_OF = {word: code for code, words in RELATIONS.items() for word in (code, *words)}
MAX_MEMBERS = 30
MAX_TEXT = 200
# A cell beginning with one of these is run as a formula by a spreadsheet that later opens an
# export of it (CSV injection); a list of households has no reason to hold one.
FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class MemberLine:
    name: str
    id_number: str
    relation: str  # self, spouse, child, … (the contracts' words)


class Bad(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.rule = f"{zh} / {en}"


def text(value: Cell, *, limit: int = MAX_TEXT) -> str:
    if value is None:
        raise Bad("必填", "required")
    if not isinstance(value, str):
        value = str(value)
    s = unicodedata.normalize("NFKC", value).strip()
    if not s:
        raise Bad("必填", "required")
    if s.startswith(FORMULA_START):
        raise Bad("不得以 = + - @ 开头（公式）", "must not begin with = + - @ (a formula)")
    if len(s) > limit:
        raise Bad(f"不超过{limit}个字符", f"at most {limit} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in s):
        raise Bad("不得含控制字符", "must not contain control characters")
    return s


def digits_as_text(value: Cell) -> str:
    """An ID number or an account: a number cell has already lost its digits past the 15th."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        raise Bad("须以文本格式填写（数字格式会丢失第15位以后的数字）",
                  "must be entered as text: a number cell keeps only 15 significant digits")
    return text(value)


def resident_id(value: Cell, today: dt.date, config: DistrictConfig) -> str:
    try:
        number = validate_resident_id(digits_as_text(value), today=today)
    except InvalidResidentId as exc:
        raise Bad(*str(exc).split(" / ", 1)) from None
    too_old = birth_date_problem("id", number, today=today, limits=config.limits)
    if too_old:
        raise Bad(*too_old["rule"].split(" / ", 1))
    return number


def yuan_to_fen(value: Cell) -> int:
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        raise Bad("须为金额（元）", "must be an amount in yuan")
    if isinstance(value, float):
        s = repr(value)
    else:
        s = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
        s = s.removesuffix("元").replace(",", "").strip()
    if not s:
        raise Bad("必填", "required")
    try:
        amount = Decimal(s)
    except InvalidOperation:
        raise Bad("须为金额（元），如 1300.00", "must be an amount in yuan, e.g. 1300.00") from None
    if not amount.is_finite() or amount < 0:
        raise Bad("须为不小于0的金额（元）", "must be an amount in yuan, not negative")
    if amount.adjusted() >= 15:  # beyond any limit; converting it would only cost time
        raise Bad("金额过大", "the amount is far too large")
    if amount.normalize().as_tuple().exponent < -2:
        raise Bad("金额至多两位小数（分）", "at most 2 decimals (fen)")
    return int(amount * 100)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def date(value: Cell) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = text(value)
    m = _DATE.match(s) or _COMPACT_DATE.match(s)
    try:
        if not m:
            raise ValueError
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise Bad("须为真实的日期 YYYY-MM-DD", "must be a real date YYYY-MM-DD") from None


def month(value: Cell) -> str:
    if isinstance(value, (dt.date, dt.datetime)):  # Excel turns "2022-04" into 2022-04-01
        return month_of(value)
    s = text(value)
    m = _MONTH.match(s)
    if not m or not 1 <= int(m[2]) <= 12:
        raise Bad("须为月份 YYYY-MM", "must be a month YYYY-MM")
    return f"{int(m[1]):04d}-{int(m[2]):02d}"


def members(value: Cell, today: dt.date, config: DistrictConfig) -> tuple[MemberLine, ...]:
    s = text(value, limit=MAX_MEMBERS * 80)
    lines = [part.strip() for part in s.split(";") if part.strip()]
    if len(lines) > MAX_MEMBERS:
        raise Bad(f"家庭成员不超过{MAX_MEMBERS}人", f"at most {MAX_MEMBERS} members")
    found = []
    for n, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.split(":")]
        if len(parts) != 3 or not all(parts):
            raise Bad(f"第{n}位成员须写作 姓名:身份证号:关系", f"member {n} must be written name:ID:relation")
        name, number, relation = parts
        if len(name) > 50:
            raise Bad(f"第{n}位成员姓名不超过50个字符", f"member {n}: the name is at most 50 characters")
        try:
            number = resident_id(number, today, config)
        except Bad as bad:
            raise Bad(f"第{n}位成员身份证号：{bad.rule.split(' / ')[0]}",
                      f"member {n} ID number: {bad.rule.split(' / ', 1)[-1]}") from None
        code = RELATION_OF.get(relation.lower())
        if code is None:
            raise Bad(f"第{n}位成员关系“{relation}”不可识别（本人、配偶、子女、父母、兄弟姐妹、祖父母、孙子女、其他）",
                       f"member {n}: relation “{relation}” is not one of self, spouse, child, parent, sibling, "
                       "grandparent, grandchild, other")
        found.append(MemberLine(name, number, code))
    if not found:
        raise Bad("必填", "required")
    ids = [m.id_number for m in found]
    if len(set(ids)) != len(ids):
        raise Bad("同一身份证号在本户出现两次", "the same ID number appears twice in the household")
    return tuple(found)


def choice(value: Cell, choices: Mapping[str, object], zh: str, en: str):
    s = text(value)
    found = choices.get(s, choices.get(s.lower()))
    if found is None:
        raise Bad(f"“{s}”须为以下之一：{zh}", f"“{s}” must be one of: {en}")
    return found


def account(value: str) -> str:
    digits = value.replace(" ", "").replace("-", "")
    if not re.fullmatch(r"[0-9]{12,30}", digits, re.ASCII):
        raise Bad("收款账号须为12至30位数字", "the account must be 12 to 30 digits")
    return digits


