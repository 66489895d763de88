"""The working-day calendar: the bureau loads a year's holiday file (the State Council's notice, or
the region's own holidays); everyone may read which files the calendar holds."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from jiuzhu_contracts.base import Role
from jiuzhu_contracts.holiday_calendar import HolidayFile
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_oversight.service_layer import calendar
from jiuzhu_oversight.service_layer.context import Oversight

BA = Role.BUREAU_ADMIN


def router(ctx: Oversight, access: AccessPolicy) -> APIRouter:
    api = APIRouter()

    @api.post("/calendar/holidays", status_code=201, tags=["calendar"],
              summary="发布节假日安排（国务院通知或自治区节日）/ Publish a year's holiday file (bureau admin)")
    async def publish(body: HolidayFile, who: Principal = Depends(access.allow(district=[BA]))):
        return await calendar.publish(ctx, body, who.actor(BA))

    @api.get("/calendar/holidays", tags=["calendar"], summary="工作日历所含节假日文件 / Holiday files the calendar holds")
    async def files(_: Principal = Depends(access.allow(district=[Role.INSPECTOR, BA, Role.AUDITOR]))):
        return [{"key": f.key, "year": f.year, "scope": f.scope, "region": f.region, "source": f.source,
                 "holidays": f.holidays, "workdays": f.workdays, "pending": f.pending}
                for f in sorted(ctx.calendar.files, key=lambda f: f.key)]

    return api
