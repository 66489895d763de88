"""A district of N jurisdictions for the benchmark (``./jz bench --jurisdictions N``), derived from
``config/urho.toml``: the first min(N, 3) jurisdictions are Urho's own (柳树街, 乌尔禾镇, 百口泉 —
the park keeps its district-bureau authority); every further one is a subdistrict made in the image
of the first (柳树街): its own code, slug and committee, its authority rules (approval devolved from
2022-02-01), and copies of whatever standards, deadline overrides and staff the district file gives
that first jurisdiction by name. Everything else (district, deadlines, district-wide standards,
materials, limits, holidays) is the file's own.

Written as TOML into a directory of its own, next to a copy of the check-centre simulator's data
(``Stack`` reads it from beside the district file); holiday files point back into ``config/``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import tomllib
from pathlib import Path

from jiuzhu_kernel.district_config import DistrictConfig, load_district_config

URHO_JURISDICTIONS = 3


def derive(source: dict, n: int, config_dir: Path) -> dict:
    """The district file ``source`` (as ``tomllib`` reads it) with ``n`` jurisdictions."""
    if n < 1:
        raise ValueError("a district has at least one jurisdiction")
    if n > 99:
        raise ValueError("at most 99 jurisdictions: the made-up codes are 650205002 … 650205099")
    data = copy.deepcopy(source)
    own = data["jurisdictions"]
    template = own[0]
    kept = own[:n]
    taken = {j["code"] for j in own}
    made = []
    k = 1
    while len(kept) + len(made) < n:
        k += 1
        code = f"{data['district']['code']}{k:03d}"
        if code in taken:
            continue
        made.append({"code": code, "slug": f"jd{k:03d}", "name": f"第{k}街道办事处", "kind": "subdistrict",
                     "committees": [f"第{k}街道第一社区居民委员会", f"第{k}街道第二社区居民委员会"]})
    data["jurisdictions"] = kept + made
    codes = {j["code"] for j in data["jurisdictions"]}

    def cloned(entries: list[dict], key: str = "jurisdiction") -> list[dict]:
        """Entries of the kept jurisdictions (and district-wide ones), plus a copy of the template's
        for every made jurisdiction."""
        out = [e for e in entries if e.get(key) is None or e.get(key) in codes]
        for j in made:
            for e in entries:
                if e.get(key) == template["code"]:
                    out.append({**copy.deepcopy(e), key: j["code"]})
        return out

    data["authority"] = cloned(data.get("authority", []))
    data["standards"] = cloned(data.get("standards", []))
    data["deadline_overrides"] = cloned(data.get("deadline_overrides", []))
    staff = [p for p in data.get("staff", []) if p["jurisdiction"] in codes | {data["district"]["code"]}]
    for j in made:
        for p in data.get("staff", []):
            if p["jurisdiction"] == template["code"]:
                staff.append({**p, "id": f"{j['slug']}-{p['id'].split('-', 1)[-1]}", "jurisdiction": j["code"],
                              "title": p.get("title", "").replace(template["name"].removesuffix("街道办事处"),
                                                                  j["name"].removesuffix("街道办事处"))})
    data["staff"] = staff
    data["holiday_files"] = [str((config_dir / p).resolve()) for p in data.get("holiday_files", [])]
    return {k: v for k, v in data.items() if v != []}


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"no TOML for {type(v).__name__}")


def dumps(data: dict) -> str:
    """TOML for a district file: top-level values, then tables, then arrays of tables (anything
    nested deeper is written inline)."""
    lines = [f"{k} = {_value(v)}" for k, v in data.items()
             if not isinstance(v, dict) and not (isinstance(v, list) and v and isinstance(v[0], dict))]
    for k, v in data.items():
        if isinstance(v, dict):
            lines += ["", f"[{k}]"] + [f"{kk} = {_value(vv)}" for kk, vv in v.items()]
    for k, v in data.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            for entry in v:
                lines += ["", f"[[{k}]]"] + [f"{kk} = {_value(vv)}" for kk, vv in entry.items()]
    return "\n".join(lines) + "\n"


def write(source_path: Path, n: int, directory: Path) -> tuple[Path, DistrictConfig]:
    """Writes the derived district file into ``directory``; returns its path and the loaded file."""
    source_path = Path(source_path).resolve()
    with open(source_path, "rb") as fh:
        source = tomllib.load(fh)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{source_path.stem}-{n}.toml"
    path.write_text(f"# Derived from {source_path.name} by bench/district_n.py: {n} jurisdictions.\n"
                    + dumps(derive(source, n, source_path.parent)), encoding="utf-8")
    sample = source_path.parent / "check-centre-sample.json"
    if sample.exists():
        shutil.copy(sample, directory / sample.name)
    return path, load_district_config(path)


def approving_body(config: DistrictConfig, jurisdiction: str, on: dt.date, category: str = "dibao") -> str:
    """Who decides a case of ``jurisdiction`` on ``on``: the latest authority rule in force (SPEC §3)."""
    rules = [r for r in config.authority if r.jurisdiction == jurisdiction and r.effective_from <= on
             and (r.category is None or r.category.value == category)]
    if not rules:
        return "district_bureau"
    return max(rules, key=lambda r: (r.effective_from, r.category is not None)).body.value
