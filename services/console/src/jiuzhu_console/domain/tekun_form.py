"""特困 on the household form (T21 art. 5, 19–23): for each member row, whether the member is a tekun
person, the six self-care items they cannot do alone, 分散 / 集中供养 and the institution → the
``tekun_persons`` of verification's household body. The level is scored by verification, not here."""

from __future__ import annotations

from collections.abc import Mapping

SELF_CARE_ITEMS = {"eating": "自主吃饭", "dressing": "自主穿衣", "transferring": "自主上下床",
                   "toileting": "自主如厕", "indoor_walking": "室内行走", "bathing": "自主洗澡"}
SUPPORT_MODES = {"dispersed": "分散供养（居家）", "centralised": "集中供养（供养服务机构）"}
LEVELS = {"self_care": "全自理", "semi_disabled": "半失能", "disabled": "全失能"}


def tekun_persons(values: Mapping, members: list[dict], kept: list[int], problems: dict[str, str]) -> list[dict]:
    """The tekun persons ticked on the member rows (``kept``: the form row of each member kept)."""
    out = []
    for member, row in zip(members, kept, strict=True):
        p = f"tekun.{row}"
        if not values.get(f"{p}.is"):
            continue
        person = {"id_number": member["id_number"], "name": member["name"],
                  "unable": [k for k in SELF_CARE_ITEMS if values.get(f"{p}.unable.{k}")],
                  "assessed_on": str(values.get("tekun.assessed_on", "")).strip(),
                  "support_mode": values.get(f"{p}.support_mode") or "dispersed"}
        institution = str(values.get(f"{p}.institution", "")).strip()
        if institution:
            person["institution"] = institution
        if values.get(f"{p}.care_paid_to_institution"):
            person["care_paid_to_institution"] = True
        out.append(person)
    if out and not str(values.get("tekun.assessed_on", "")).strip():
        problems["tekun.assessed_on"] = "请填写生活自理能力评估日期"
    return out


def form_field(api_field: str, kept: list[int]) -> str | None:
    """``tekun_persons.<j>.x`` (the j-th person sent) → the form's row field, for a refusal."""
    parts = api_field.split(".")
    if parts[0] != "tekun_persons" or len(parts) < 2 or not parts[1].isdigit():
        return None
    j = int(parts[1])
    return f"tekun.{kept[j]}.is" if j < len(kept) else "tekun.assessed_on"
