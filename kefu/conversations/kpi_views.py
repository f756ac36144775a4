"""The KPI screens: the team dashboard, one agent's page and the buyers-waiting board. Each table
downloads as xlsx with `?export=<table>`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.conversations import kpi_selectors as sel
from kefu.conversations.waiting_selectors import buyers_waiting, chats_import_reach
from kefu.core import clock
from kefu.core.access import Capability, can
from kefu.staff.models import Assignment
from kefu.web.shop_views import ShopRequest, shop_view
from kefu.web.xlsx import xlsx_response


def _seconds(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _pct(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


def _totals_cells(t: sel.Totals) -> list[Any]:
    return [
        t.consulted,
        t.served,
        t.inquiries,
        _pct(t.conversion),
        _seconds(t.first_response_s),
        _seconds(t.avg_response_s),
        _pct(t.fast_rate),
        t.slow_rounds,
        t.unanswered_buyers,
        t.sales,
        t.orders,
    ]


def _totals_header() -> list[str]:
    return [
        _("咨询人数"),
        _("接待人数"),
        _("询单人数"),
        _("询单→最终下单(%)"),
        _("首次响应(秒)"),
        _("平均响应(秒)"),
        _("3分钟响应率(%)"),
        _("慢响应轮次"),
        _("未回复人数"),
        _("销售额"),
        _("销售订单数"),
    ]


def _export(name: str, title: str, header: Sequence[str], rows: list[list[Any]]) -> HttpResponse:
    return xlsx_response(filename=f"{name}.xlsx", title=title, header=header, rows=rows)


def _anchor(request: ShopRequest) -> dt.date:
    """The day the page is read on: today, or the last day of `?month=YYYY-MM` (a past month)."""
    today = clock.shop_today(tz=request.shop.timezone)
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        return today
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return min(last, today)


def _months(request: ShopRequest, anchor: dt.date) -> dict[str, Any]:
    today = clock.shop_today(tz=request.shop.timezone)
    previous = anchor.replace(day=1) - dt.timedelta(days=1)
    following = (anchor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return {
        "is_current": anchor == today,
        "previous_month": f"{previous:%Y-%m}",
        "next_month": f"{following:%Y-%m}" if following <= today else "",
        "month_query": "" if anchor == today else f"&month={anchor:%Y-%m}",
    }


@shop_view(Capability.VIEW_DASHBOARD)
def kpi_dashboard(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    if not can(role=request.role, capability=Capability.VIEW_TEAM):
        # An agent's 客服数据 is their own page.
        user_id = request.user.pk or 0  # shop_view lets only signed-in users through
        own = Assignment.objects.filter(shop=shop, agent__user_id=user_id).first()
        if own is None:
            raise Http404
        return redirect("kpi:agent", shop_id=shop.pk, agent_id=own.agent_id)
    today = _anchor(request)
    board = sel.team_dashboard(shop=shop, today=today)
    export = request.GET.get("export")
    if export == "agents":
        rows = [
            [r.agent.name if r.agent else _("未绑定"), *_totals_cells(r.totals)]
            for r in board.agents
        ]
        return _export(
            f"客服指标-{today:%Y%m}", _("客服指标"), [_("客服"), *_totals_header()], rows
        )
    if export == "platform":
        rows = [
            [c.nickname, c.date_from, c.date_to, c.metric, c.platform, c.kefu, c.difference,
             _("延迟统计") if c.pending else ""]
            for c in board.comparisons
        ]  # fmt: skip
        header = [_("客服昵称"), _("开始日期"), _("结束日期"), _("指标"), _("平台"), "Kefu",
                  _("差异"), _("备注")]  # fmt: skip
        return _export(f"平台对比-{today:%Y%m}", _("平台对比"), header, rows)
    context = {"shop": shop, "board": board, **_months(request, today)}
    if not board.has_data:
        # An empty month points to the last one with figures (a demo or a shop between imports).
        context["last_day"] = sel.last_day_kpi(shop=shop, until=today)
    return render(request, "conversations/kpi_dashboard.html", context)


def _agent_or_404(request: ShopRequest, agent_id: int) -> Any:
    assignment = (
        Assignment.objects.filter(shop=request.shop, agent_id=agent_id)
        .select_related("agent")
        .first()
    )
    if assignment is None:
        raise Http404
    agent = assignment.agent
    # An agent sees only their own page; roles that see the team see everyone's.
    if not can(role=request.role, capability=Capability.VIEW_TEAM) and agent.user_id != getattr(
        request.user, "pk", None
    ):
        raise Http404
    return agent


@shop_view(Capability.VIEW_DASHBOARD)
def kpi_agent(request: ShopRequest, agent_id: int) -> HttpResponse:
    shop = request.shop
    agent = _agent_or_404(request, agent_id)
    today = _anchor(request)
    page = sel.agent_page(shop=shop, agent=agent, today=today)
    export = request.GET.get("export")
    if export == "days":
        rows = [[d.local_date, *_totals_cells(sel.day_totals(d))] for d in page.days]
        return _export(
            f"{agent.name}-{today:%Y%m}", agent.name, [_("日期"), *_totals_header()], rows
        )
    if export == "breaches":
        rows = [_breach_cells(shop.tzinfo, f) for f in page.breaches]
        header = [_("日期"), _("事项"), _("开始时间"), _("买家"), _("等待(秒)"), _("标准(秒)"),
                  _("条款")]  # fmt: skip
        return _export(f"{agent.name}-超时-{today:%Y%m}", _("超时记录"), header, rows)
    hits = _quality_hits(request, agent.pk, page)
    context = {"shop": shop, "page": page, "hits": hits, **_months(request, today)}
    return render(request, "conversations/kpi_agent.html", context)


def _breach_cells(tz: Any, fact: Any) -> list[Any]:
    evidence = fact.evidence
    return [
        fact.local_date,
        fact.label,
        fact.occurred_at.astimezone(tz),
        evidence.get("buyer", ""),
        evidence.get("wait_s"),
        evidence.get("threshold_s"),
        evidence.get("clause", ""),
    ]


def _quality_hits(request: ShopRequest, agent_id: int, page: sel.AgentPage) -> list[Any]:
    """The agent's quality hits of the month (kefu.quality), newest first."""
    from kefu.quality.selectors import quality_hits

    hits = quality_hits(shop=request.shop, agent_id=agent_id)
    month = hits.filter(conversation__day__gte=page.month_start, conversation__day__lte=page.today)
    return list(month[:50])


@shop_view(Capability.VIEW_TEAM)
def waiting_board(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    now = clock.now()
    waiting = buyers_waiting(shop=shop, now=now)
    if request.GET.get("export") == "xlsx":
        rows = [
            [w.conversation.buyer.nickname, w.agent or w.holder, w.since.astimezone(shop.tzinfo),
             w.waited_seconds, w.messages]
            for w in waiting
        ]  # fmt: skip
        header = [_("买家"), _("接待客服"), _("开始等待"), _("已等待(秒)"), _("消息数")]
        return _export(f"等待中的买家-{now:%Y%m%d%H%M}", _("等待中的买家"), header, rows)
    context = {
        "shop": shop,
        "waiting": waiting,
        "now": now,
        "imports": chats_import_reach(shop=shop, now=now),
        "can_import": can(role=request.role, capability=Capability.MANAGE_TEAM),
    }
    template = (
        "conversations/_waiting_rows.html"
        if request.headers.get("HX-Request")
        else "conversations/waiting.html"
    )
    return render(request, template, context)
