"""A posted form as a plain dict: one value per name, a list for the names that repeat
(checkbox groups such as ``materials``). The CSRF token is not part of what a page reads."""

from __future__ import annotations

from fastapi import Request

MULTI = {"materials", "difficulties", "jurisdictions"}


async def form_values(request: Request) -> dict:
    form = await request.form()
    values: dict = {}
    for key in form.keys():
        if key == "csrftoken":
            continue
        values[key] = [str(v) for v in form.getlist(key)] if key in MULTI else str(form.get(key))
    return values
