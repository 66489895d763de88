"""The home page: each person's own worklist, by the first role they hold."""

from __future__ import annotations

from fastapi import APIRouter, Request

from jiuzhu_contracts.base import Role

from jiuzhu_console.entrypoints.web import Web

WORKLIST = {Role.CLERK: "/clerk", Role.INVESTIGATOR: "/investigator", Role.REVIEWER: "/reviewer",
            Role.COMMITTEE: "/committee", Role.LEADER: "/leader", Role.INSPECTOR: "/bureau",
            Role.BUREAU_ADMIN: "/bureau", Role.AUDITOR: "/bureau", Role.FINANCE: "/finance"}


def router(web: Web) -> APIRouter:
    pages = APIRouter()

    @pages.get("/")
    async def home(request: Request):
        person = web.person(request)
        role = person.home_role
        if role is None:
            return web.render(request, "message.html", person, title="没有可用的工作台",
                              message="您的账号没有本系统的工作角色，请联系区民政局。", status_code=403)
        return web.back(WORKLIST[role])

    return pages
