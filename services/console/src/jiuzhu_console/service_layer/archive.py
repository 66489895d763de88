"""A case's archive (档案), built from what the signed-in person may read: the case page's parts,
each of its documents rendered as PDF, and — for the district's auditors and inspectors — its trail
in the audit chain. Everything is fetched with the person's own token; nothing is kept here."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_console.adapters.pdf import render_pdf
from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain import archive as A
from jiuzhu_console.domain import documents as D
from jiuzhu_console.domain.person import Person
from jiuzhu_console.service_layer import case_view
from jiuzhu_console.service_layer.context import Console

AUDIT_READERS = {"auditor", "inspector"}


async def build(console: Console, person: Person, case_id: str) -> tuple[str, bytes]:
    """(file name, zip). ApiRefused when the case is not the person's to read; DomainRefusal (409)
    when its procedure is still running."""
    now = await console.now()
    view = await case_view.load(console, person, case_id, now.date())
    if not A.archivable(view.stage):
        raise DomainRefusal(f"案件 {case_id} 尚未办结（{view.stage_label}），办结或在保后方可归档 / the case is still in "
                            f"procedure ({view.stage}); it is archived once closed or on support", rule=A.RULE,
                            status=409)
    files: list[A.ArchivedFile] = []
    left_out = [f"{part}（无权取得）" for part in view.unavailable]
    for doc in view.documents:
        kind = D.kind_of(doc.kind)
        try:
            html = await console.api.document(kind.service, D.jurisdiction_for(kind, case_id, None, person.jurisdiction,
                                                                               person.at_district),
                                              kind.path_for(case_id), person.token)
        except ApiRefused as refusal:
            left_out.append(f"{kind.title}（{refusal.service} 服务答复 {refusal.status}）")
            continue
        files.append(A.ArchivedFile(f"documents/{kind.title}.pdf", await render_pdf(html)))
    files.append(A.json_file("timeline.json", [{"step": s.label, "at": s.at, "by": s.who, "role": s.role}
                                               for s in view.steps]))
    files.append(A.json_file("deadlines.json", [{"clock": c.clock, "due_on": c.due_on, "rule": c.rule,
                                                 "state": c.state} for c in view.clocks]))
    files.append(A.json_file("case.json", {"summary": view.summary, "household": view.household,
                                           "verification": view.verification, "decision": view.decision,
                                           "notices": view.notices, "objections": view.objections}))
    if person.at_district and AUDIT_READERS & set(person.roles):
        trail = await console.api.get("oversight", None, f"/audit/cases/{case_id}", person.token)
        files.append(A.json_file("audit-trail.json", trail))
    else:
        left_out.append("audit-trail.json：区级审计链记录（仅区民政局审计、督查人员可取得）")
    closed = _closed_on(view) or now.date()
    files.append(A.readme(case_id, files, left_out))
    files.append(A.manifest(case_id, view.jurisdiction, view.stage, files, made_at=now, made_by=person.name,
                            closed_on=closed, retention_years=console.config.archive_retention_years,
                            left_out=left_out))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            archive.writestr(f"{case_id}/{f.name}", f.body)
    return f"档案-{case_id}.zip", out.getvalue()


def _closed_on(view) -> dt.date | None:
    """The day of the case's last step (its decision, withdrawal or end)."""
    dated = [s.at for s in view.steps if s.at]
    return dt.datetime.fromisoformat(str(dated[-1])).date() if dated else None
