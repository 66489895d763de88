"""Pages of the console: cases (filled in by its own change)."""

from __future__ import annotations

from fastapi import APIRouter

from jiuzhu_console.entrypoints.web import Web


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    return pages
