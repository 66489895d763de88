"""The printable documents the services issue (receipts, notices, forms, orders) share one layout:
a government office's document on A4 (``document_templates/document_base.html``). Each service
renders its own documents from its own templates, with this base beside them."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

SHARED = Path(__file__).parent / "document_templates"


def document_environment(templates: Path) -> Environment:
    """A Jinja environment over a service's ``templates`` folder, where ``document_base.html`` (and
    its ``zh_date`` macro) is the shared one; HTML is escaped."""
    return Environment(loader=ChoiceLoader([FileSystemLoader(templates), FileSystemLoader(SHARED)]),
                       autoescape=select_autoescape(["html"]))
