"""The clerk's household change on a supported household (户内变更, issue 15 item 6): a member who
joined, a member who left (a death is a member who left with cause ``death``), a new payment account,
a new address within the jurisdiction → the body of decision's ``POST /supported-households/{id}/household``.
Every resident ID typed is checked here first (GB 11643, as the window's form); the service checks
again and decides what may change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from jiuzhu_console.domain.resident_id_check import check_resident_id

JOIN_CAUSES = {"birth": "出生", "marriage": "结婚", "adoption": "收养", "moved_in": "迁入共同生活",
               "returned": "返回（毕业、退役、刑满等）", "other": "其他"}
LEAVE_CAUSES = {"death": "死亡", "moved_out": "迁出、不再共同生活", "marriage": "结婚迁出", "divorce": "离婚",
                "other": "其他"}
# decision's field names → the form's inputs (a refusal is shown beside the input it concerns)
FIELD_OF = {"members_added": "added_id_number", "members_removed": "removed_id_number",
            "payment_account": "payment_account", "address": "address", "committee": "committee",
            "reasons": "reasons"}


def _date(value: str, field: str, problems: dict[str, str]) -> str | None:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        problems[field] = "请填写日期（年-月-日）"
        return None


def change_body(values: Mapping, today: dt.date | None = None) -> tuple[dict, dict[str, str]]:
    """(body, problems keyed by input name). Blank parts are left out; at least one part is asked."""
    v = {k: str(values.get(k, "") or "").strip() for k in (
        "added_name", "added_id_number", "added_relation", "added_cause", "added_since", "removed_id_number",
        "removed_name", "removed_cause", "removed_since", "payment_account", "address", "committee", "reasons")}
    problems: dict[str, str] = {}
    body: dict = {}
    if v["added_name"] or v["added_id_number"]:
        check = check_resident_id(v["added_id_number"], today)
        if not check.ok:
            problems["added_id_number"] = check.rule
        if not v["added_name"]:
            problems["added_name"] = "请填写新增成员姓名"
        if v["added_cause"] not in JOIN_CAUSES:
            problems["added_cause"] = "请选择新增原因"
        since = _date(v["added_since"], "added_since", problems)
        if not problems:
            body["members_added"] = [{"member": {"name": v["added_name"], "id_number": check.normalised,
                                                 "relation": v["added_relation"] or "other"},
                                      "cause": v["added_cause"], "since": since}]
    if v["removed_id_number"]:
        check = check_resident_id(v["removed_id_number"], today)
        if not check.ok:
            problems["removed_id_number"] = check.rule
        if not v["removed_name"]:
            problems["removed_name"] = "请填写减少成员姓名"
        if v["removed_cause"] not in LEAVE_CAUSES:
            problems["removed_cause"] = "请选择减少原因"
        since = _date(v["removed_since"], "removed_since", problems)
        if check.ok and v["removed_name"] and v["removed_cause"] in LEAVE_CAUSES and since:
            body["members_removed"] = [{"id_number": check.normalised, "name": v["removed_name"],
                                        "cause": v["removed_cause"], "since": since}]
    for key in ("payment_account", "address", "committee"):
        if v[key]:
            body[key] = v[key]
    if not (set(body) & {"members_added", "members_removed", "payment_account", "address"}) and not problems:
        problems["_"] = "请填写至少一项变更：新增成员、减少成员、收款账号或住址"
    body["reasons"] = [line.strip() for line in v["reasons"].splitlines() if line.strip()]
    return body, problems


def form_field(api_field: str) -> str:
    """``members_removed.0.id_number`` → ``removed_id_number``."""
    head, _, rest = api_field.partition(".")
    if head == "members_added":
        leaf = rest.rsplit(".", 1)[-1] if rest else "id_number"
        return {"name": "added_name", "cause": "added_cause", "since": "added_since",
                "relation": "added_relation"}.get(leaf, "added_id_number")
    if head == "members_removed":
        leaf = rest.rsplit(".", 1)[-1] if rest else "id_number"
        return {"name": "removed_name", "cause": "removed_cause", "since": "removed_since"}.get(leaf,
                                                                                             "removed_id_number")
    return FIELD_OF.get(head, head)
