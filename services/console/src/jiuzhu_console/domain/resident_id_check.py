"""The live resident-ID check beside the form's ID inputs: the project's own GB 11643 validation
(libs/contracts), answered in Chinese. The service checks again on submit; this only helps typing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiuzhu_contracts.resident_id import InvalidResidentId, validate_resident_id


@dataclass(frozen=True)
class IdCheck:
    ok: bool
    rule: str
    normalised: str = ""


def check_resident_id(value: str, today: dt.date | None = None) -> IdCheck:
    if not (value or "").strip():
        return IdCheck(False, "请填写身份证号码")
    try:
        number = validate_resident_id(value, today=today)
    except InvalidResidentId as exc:
        return IdCheck(False, chinese(str(exc)))
    return IdCheck(True, "身份证号码格式及校验位正确", number)


def chinese(rule: str) -> str:
    """The services write rules as "中文 / English"; a form shows the Chinese half."""
    return rule.split(" / ", 1)[0].strip()
