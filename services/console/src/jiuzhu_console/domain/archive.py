"""档案 (plan 四(二)3: the jurisdiction's 档案管理): one closed or supported case as one archive
for the records office — its documents as PDF, its timeline, its deadlines, and (where the person
may read it) its trail in the district's audit chain — with a manifest that names every file with
its SHA-256 and the year until which the archive is kept.

Plain functions: which cases may be archived, the file names, the manifest, the notes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

# A case is archived once its procedure is over (refused, withdrawn, ended) or it is on support
# (approved: the archive of its approval; a later change makes a new archive).
ARCHIVABLE = frozenset({"approved", "refused", "withdrawn", "deemed_withdrawn", "ended", "supported"})
RULE = "乌尔禾区工作方案 四(二)3: 街道（乡镇）负责档案管理 — 办结或在保的案件归档"


def archivable(stage: str) -> bool:
    return stage in ARCHIVABLE


def retain_until(closed_on: dt.date, years: int) -> int:
    """The last year the archive is kept: ``years`` full years after the year the case closed."""
    return closed_on.year + years


@dataclass(frozen=True)
class ArchivedFile:
    name: str
    body: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def manifest(case_id: str, jurisdiction: str, stage: str, files: list[ArchivedFile], *, made_at: dt.datetime,
             made_by: str, closed_on: dt.date, retention_years: int, left_out: list[str]) -> ArchivedFile:
    body = {
        "archive": "jiuzhu case archive / 社会救助案件档案", "format": 1,
        "case_id": case_id, "jurisdiction": jurisdiction, "stage": stage,
        "made_at": made_at.isoformat(), "made_by": made_by,
        "retention_years": retention_years, "keep_until_end_of": retain_until(closed_on, retention_years),
        "files": [{"name": f.name, "bytes": len(f.body), "sha256": f.sha256} for f in files],
        "not_included": left_out,
        "rule": RULE,
    }
    return ArchivedFile("manifest.json", json.dumps(body, ensure_ascii=False, indent=2).encode())


def readme(case_id: str, files: list[ArchivedFile], left_out: list[str]) -> ArchivedFile:
    lines = [f"社会救助案件档案 {case_id}", "",
             "本档案包含：", *(f"  {f.name}" for f in files), "",
             "manifest.json 列出每个文件的 SHA-256 校验值；核对方法：sha256sum <文件名>，与清单比对。",
             "audit-trail.json（如有）为区级审计链中本案的记录：每条记录的 hash 由其内容与上一条的 hash 计算，",
             "可由区民政局审计人员在系统中校验（GET /audit/verify）。"]
    if left_out:
        lines += ["", "未包含（无权取得或尚未产生）：", *(f"  {x}" for x in left_out)]
    return ArchivedFile("说明.txt", ("\n".join(lines) + "\n").encode())


def json_file(name: str, data) -> ArchivedFile:
    return ArchivedFile(name, json.dumps(data, ensure_ascii=False, indent=2, default=str).encode())
