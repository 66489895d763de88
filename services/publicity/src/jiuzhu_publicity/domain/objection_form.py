"""The public objection form (plan 五(三): 公示期内任何人可提出异议) is filled in by citizens: every
problem is named in Chinese on the form itself, never a bare JSON error or a 500."""

from __future__ import annotations

NOTICE_NO_MAX, SUMMARY_MIN, SUMMARY_MAX, CONTACT_MAX = 60, 5, 1000, 100
YES = ("true", "on", "1", "yes")


def _storable(text: str) -> bool:
    """PostgreSQL stores no NUL and no lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    """What the citizen typed, safe to show back on the form."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def form_problems(notice_no: str, summary: str, contact: str) -> list[str]:
    problems = []
    if not notice_no.strip():
        problems.append("请填写公示编号（notice_no）。")
    elif len(notice_no.strip()) > NOTICE_NO_MAX:
        problems.append(f"公示编号（notice_no）不超过{NOTICE_NO_MAX}个字符。")
    if not SUMMARY_MIN <= len(summary.strip()) <= SUMMARY_MAX:
        problems.append(f"异议内容（summary）须为{SUMMARY_MIN}至{SUMMARY_MAX}字。")
    if len(contact.strip()) > CONTACT_MAX:
        problems.append(f"联系方式（contact）不超过{CONTACT_MAX}个字符。")
    for name, label, value in (("notice_no", "公示编号", notice_no), ("summary", "异议内容", summary),
                               ("contact", "联系方式", contact)):
        if not _storable(value):
            problems.append(f"{label}（{name}）含有无法保存的字符，请删除后重新提交。")
    return problems


def refusal_zh(status: int, notice_no: str, details: dict | None = None) -> str:
    """A refusal of the service layer, said to a citizen: in Chinese only, naming the problem (the
    service layer's own message is bilingual, for staff, and never shown on the public form)."""
    if status == 404:
        return f"没有编号为“{notice_no}”的公示，请核对公示编号。"
    if status == 409:
        window = details or {}
        if window.get("opens_on") and window.get("closes_on"):
            return (f"公示“{notice_no}”不在公示期内（公示期为{window['opens_on']}至{window['closes_on']}），"
                    "不再接受网上异议。如有情况，请拨打监督举报电话。")
        return f"公示“{notice_no}”不在公示期内，不再接受网上异议。如有情况，请拨打监督举报电话。"
    return "异议未能受理，请稍后再试或拨打监督举报电话。"
