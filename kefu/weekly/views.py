"""The weekly meeting report page and its xlsx and PDF exports. Thin."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render

from kefu.core.access import Capability
from kefu.core.clock import shop_today
from kefu.web.shop_views import ShopRequest, shop_view
from kefu.weekly.export import write_week_pdf, write_week_xlsx
from kefu.weekly.selectors import monday_of, week_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _week(request: ShopRequest) -> dt.date:
    """?week=YYYY-MM-DD (any day of the week); default: last week, the one the meeting reviews."""
    text = request.GET.get("week", "")
    try:
        return monday_of(dt.date.fromisoformat(text))
    except ValueError:
        return monday_of(shop_today(tz=request.shop.timezone)) - dt.timedelta(days=7)


@shop_view(Capability.VIEW_TEAM)
def report_page(request: ShopRequest) -> HttpResponse:
    week = _week(request)
    context = {
        "shop": request.shop,
        "report": week_report(shop=request.shop, week_start=week),
        "week": week,
        "previous": week - dt.timedelta(days=7),
        "next": week + dt.timedelta(days=7),
    }
    return render(request, "weekly/report.html", context)


@shop_view(Capability.VIEW_TEAM)
def report_xlsx(request: ShopRequest) -> HttpResponse:
    week = _week(request)
    report = week_report(shop=request.shop, week_start=week)
    response = HttpResponse(write_week_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="zhoulihui-{week}.xlsx"'
    return response


@shop_view(Capability.VIEW_TEAM)
def report_pdf(request: ShopRequest) -> HttpResponse:
    week = _week(request)
    report = week_report(shop=request.shop, week_start=week)
    response = HttpResponse(write_week_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="zhoulihui-{week}.pdf"'
    return response
