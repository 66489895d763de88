"""The printable documents of the procedure: which service renders each, at which address, and who
may ask for it. The console only fetches a document with the person's own token; the service
decides (its access rules are the ones below, mirrored so the console links only to what a person
may print). The jurisdiction of a case is the part of its id before the first "-".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from jiuzhu_contracts.base import Role

C, CM, L = Role.CLERK, Role.COMMITTEE, Role.LEADER
INS, BA, AUD = Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR

# A reference goes into a service's path: letters, digits, "-" and "_" only, so no ref can reach
# another route of the service ("../", "?", "/").
REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}\Z", re.ASCII)


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    title: str
    service: str
    path: str  # with "{ref}"
    roles: frozenset[Role]  # jurisdiction staff who may ask
    district_roles: frozenset[Role] = frozenset()  # district staff who may ask
    ref_is: str = "case"  # case | application | order

    @property
    def at_district(self) -> bool:
        """Rendered by a district service (oversight), not a jurisdiction's."""
        return self.service in ("oversight", "disbursement")

    def path_for(self, ref: str) -> str:
        return self.path.format(ref=ref)

    def may_ask(self, roles, at_district: bool) -> bool:
        allowed = self.district_roles if at_district else self.roles
        return bool(allowed & set(roles))

    def file_name(self, ref: str) -> str:
        return f"{self.title}-{ref}.pdf"

    def ascii_file_name(self, ref: str) -> str:
        return f"{self.kind}-{ref}.pdf"


KINDS: dict[str, DocumentKind] = {k.kind: k for k in (
    # plan 五(一): the window's acceptance receipt and its one-time correction notice
    DocumentKind("receipt", "受理回执", "intake", "/cases/{ref}/receipt", frozenset({C, CM})),
    DocumentKind("correction-notice", "一次性告知书", "intake", "/applications/{ref}/correction-notice",
                 frozenset({C, CM}), ref_is="application"),
    # plan 五(三): the approval's confirmation form (added to decision by its own change; its access
    # is assumed to be the refusal notice's until that change says otherwise)
    DocumentKind("confirmation-form", "审核确认表", "decision", "/cases/{ref}/confirmation-form",
                 frozenset({L, C, CM}), frozenset({BA})),
    DocumentKind("refusal-notice", "不予批准通知书", "decision", "/cases/{ref}/refusal-notice",
                 frozenset({L, C, CM}), frozenset({BA})),
    DocumentKind("door-card", "社会救助公示卡", "publicity", "/door-cards/{ref}", frozenset({C, CM})),
    # plan 五(四): the bureau's spot checks and rectification orders
    DocumentKind("spot-check-feedback", "备案抽查反馈意见", "oversight", "/spot-checks/{ref}/feedback",
                 frozenset({L}), frozenset({INS, BA, AUD})),
    DocumentKind("rectification-order", "限期整改通知书", "oversight", "/rectifications/{ref}/order",
                 frozenset({L}), frozenset({INS, BA, AUD}), ref_is="order"),
)}


def kind_of(kind: str) -> DocumentKind | None:
    return KINDS.get(kind)


def valid_ref(ref: str) -> bool:
    return bool(REF.match(ref))


def case_jurisdiction(case_id: str) -> str:
    """650205001-2026-00012 → 650205001."""
    return case_id.split("-", 1)[0]


def jurisdiction_for(kind: DocumentKind, ref: str, asked: str | None, own: str, at_district: bool) -> str | None:
    """Which instance of the service holds the document: none for a district service; the case's
    own for a case; for an application (its id says nothing of where it was made), the jurisdiction
    asked for (``?jurisdiction=``), else the person's own."""
    if kind.at_district:
        return None
    if kind.ref_is == "case":
        return case_jurisdiction(ref)
    if asked:
        return asked
    return None if at_district else own


def content_disposition(file_name: str, ascii_name: str, disposition: str = "attachment") -> str:
    """RFC 6266 with RFC 5987's ``filename*`` for the Chinese name, and an ASCII ``filename`` for
    clients that know only that."""
    ascii_name = "".join(ch for ch in ascii_name if ch.isascii() and (ch.isalnum() or ch in "-_.")) or "document.pdf"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"
