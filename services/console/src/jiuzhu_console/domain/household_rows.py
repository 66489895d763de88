"""The household members typed on a form: a fixed set of rows (works without JavaScript), blank
rows ignored. The services number the members they receive; the form numbers its rows — a
refusal naming ``members.1.id_number`` is shown beside the row it came from."""

from __future__ import annotations

import re
from collections.abc import Mapping

MEMBER_ROWS = 6
MAX_ROWS = 30  # intake's ApplicationIn.members max_length
FLAGS = ("disabled", "in_school", "seriously_ill")
ABLE_TO_WORK = {"": None, "yes": True, "no": False}


def row_is_blank(values: Mapping[str, str], prefix: str) -> bool:
    """A row counts once a name or an ID number is typed; a relation or flag alone does not."""
    return not (str(values.get(f"{prefix}.name", "")).strip() or str(values.get(f"{prefix}.id_number", "")).strip())


def rows_posted(values: Mapping[str, str], name: str = "members") -> int:
    """How many rows the form had: the usual number, or more when a larger household was prefilled
    (at most ``MAX_ROWS``, intake's limit on members, whatever row numbers were posted)."""
    found = [int(m["i"]) + 1 for key in values
             if (m := _INDEXED.match(key)) and m["list"] == name and len(m["i"]) <= 2]
    return min(MAX_ROWS, max([MEMBER_ROWS, *found]))


def member_rows(values: Mapping[str, str], rows: int = MEMBER_ROWS, name: str = "members") -> tuple[list[dict], list[int]]:
    """The members to send and, for each, the form row it came from."""
    members, kept = [], []
    for i in range(rows):
        prefix = f"{name}.{i}"
        if row_is_blank(values, prefix):
            continue
        member = {"name": str(values.get(f"{prefix}.name", "")).strip(),
                  "id_number": str(values.get(f"{prefix}.id_number", "")).strip(),
                  "relation": str(values.get(f"{prefix}.relation", "")).strip()}
        for flag in FLAGS:
            member[flag] = bool(values.get(f"{prefix}.{flag}"))
        member["able_to_work"] = ABLE_TO_WORK.get(str(values.get(f"{prefix}.able_to_work", "")), None)
        members.append(member)
        kept.append(i)
    return members, kept


_INDEXED = re.compile(r"^(?P<list>[a-z_]+)\.(?P<i>\d+)(?P<rest>(\..*)?)\Z", re.ASCII)


def to_form_field(api_field: str, kept: Mapping[str, list[int]]) -> str:
    """``members.1.id_number`` → ``members.3.id_number`` when the API's second member is the form's
    fourth row (blank rows are not sent)."""
    match = _INDEXED.match(api_field)
    if not match or match["list"] not in kept:
        return api_field
    rows = kept[match["list"]]
    i = int(match["i"])
    return f"{match['list']}.{rows[i] if i < len(rows) else i}{match['rest']}"
