"""Worklog pages: the handover log (write, acknowledge), weekly summaries (an agent's draft and
submission, the supervisor's reading list), daily records, and recording the facts. Thin."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.attendance.selectors import agent_of_user
from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.clock import shop_now, shop_today
from kefu.core.errors import InvalidInput, NotFound
from kefu.policy.schema import Policy
from kefu.policy.selectors import policy_in_force
from kefu.web.shop_views import ShopRequest, shop_view
from kefu.worklog import facts, selectors, services
from kefu.worklog.engine import due_in_week, monday_of, summary_chars
from kefu.worklog.forms import DailyRecordForm, HandoverForm, SummaryForm
from kefu.worklog.models import HandoverEntry, WeeklySummary

LOG_DAYS = 3
WEEKDAY_NAMES = {
    "mon": gettext_lazy("周一"),
    "tue": gettext_lazy("周二"),
    "wed": gettext_lazy("周三"),
    "thu": gettext_lazy("周四"),
    "fri": gettext_lazy("周五"),
    "sat": gettext_lazy("周六"),
    "sun": gettext_lazy("周日"),
}


def _policy(request: ShopRequest, day: dt.date) -> Policy | None:
    """The policy in force, or None after telling the user the shop has none yet."""
    try:
        return policy_in_force(shop=request.shop, on=day).policy
    except NotFound as exc:
        messages.error(request, exc.message)
        return None


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _date(text: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return default


@shop_view(Capability.VIEW_DASHBOARD)
def handover(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    me = agent_of_user(shop=shop, user=request.user)
    form = HandoverForm(request.POST or None)
    if request.method == "POST":
        if me is None:
            messages.error(request, _("你的账号没有关联本店的客服，不能写交接"))
        elif form.is_valid():
            values = form.cleaned_data
            try:
                services.handover_write(
                    shop=shop,
                    author=me,
                    text=values["text"],
                    order_nos=services.split_list(values["order_nos"]),
                    buyer_nicks=services.split_list(values["buyer_nicks"]),
                    references=values["references"],
                    acting_user=_user(request),
                )
            except InvalidInput as exc:
                form.add_error("text", exc.message)
            else:
                messages.success(request, _("交接已保存"))
                return redirect("worklog:handover", shop_id=shop.pk)
    today = shop_today(tz=shop.timezone)
    policy = _policy(request, today)
    if policy is None:
        return redirect("policy:page", shop_id=shop.pk)
    end = _date(request.GET.get("day", ""), today)
    context = {
        "shop": shop,
        "me": me,
        "form": form,
        "unread": selectors.handover_unread(shop=shop, agent=me, as_of=shop_now(tz=shop.timezone))
        if me
        else [],
        "log": selectors.handover_log(
            shop=shop, start=end - dt.timedelta(days=LOG_DAYS - 1), end=end
        ),
        "day": end,
        "previous": end - dt.timedelta(days=LOG_DAYS),
        "policy_handover": policy.handover,
        "manager": can(role=request.role, capability=Capability.MANAGE_TEAM),
    }
    return render(request, "worklog/handover.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def handover_ack(request: ShopRequest, entry_id: int) -> HttpResponse:
    shop = request.shop
    entry = shop_object_or_404(HandoverEntry.objects.all(), shop=shop, pk=entry_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    me = agent_of_user(shop=shop, user=request.user)
    if me is None:
        messages.error(request, _("你的账号没有关联本店的客服"))
    else:
        try:
            services.handover_acknowledge(
                shop=shop, entry=entry, agent=me, acting_user=_user(request)
            )
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已确认阅读"))
    target = "web:dashboard" if request.POST.get("back") == "home" else "worklog:handover"
    return redirect(target, shop_id=shop.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def summaries(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    today = shop_today(tz=shop.timezone)
    week = monday_of(_date(request.GET.get("week", ""), today))
    policy = _policy(request, today)
    if policy is None:
        return redirect("policy:page", shop_id=shop.pk)
    rule = policy.weekly_summary
    team = can(role=request.role, capability=Capability.VIEW_TEAM)
    me = agent_of_user(shop=shop, user=request.user)
    own = selectors.summary_of(shop=shop, agent=me, week_start=week) if me else None
    form = SummaryForm(request.POST or None, initial={"text": own.text if own else ""})
    if request.method == "POST" and me is not None and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.weekly_summary_save(
                shop=shop,
                agent=me,
                week_start=week,
                text=form.cleaned_data["text"],
                submit=submit,
                acting_user=_user(request),
            )
        except InvalidInput as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("总结已提交") if submit else _("草稿已保存"))
            url = reverse("worklog:summaries", kwargs={"shop_id": shop.pk})
            return redirect(f"{url}?week={week.isoformat()}")
    elif request.method == "POST" and me is None:
        messages.error(request, _("你的账号没有关联本店的客服，不能写总结"))
    context = {
        "shop": shop,
        "week": week,
        "week_end": week + dt.timedelta(days=6),
        "previous": week - dt.timedelta(days=7),
        "next": week + dt.timedelta(days=7),
        "rule": rule,
        "due_at": due_in_week(week, rule.due, shop.tzinfo) if rule.due else None,
        "team": team,
        "me": me,
        "own": own,
        "own_chars": summary_chars(own.text) if own else 0,
        "form": form,
        "rows": selectors.summaries_reading_list(
            shop=shop, week_start=week, due=rule.due, min_chars=rule.min_chars
        )
        if team
        else [],
        "history": selectors.summaries_of_agent(shop=shop, agent=me) if me else [],
    }
    return render(request, "worklog/summaries.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def summary_detail(request: ShopRequest, summary_id: int) -> HttpResponse:
    shop = request.shop
    summary = shop_object_or_404(
        WeeklySummary.objects.select_related("agent"), shop=shop, pk=summary_id
    )
    team = can(role=request.role, capability=Capability.VIEW_TEAM)
    me = agent_of_user(shop=shop, user=request.user)
    if not team and (me is None or me.pk != summary.agent_id):
        raise Http404("No such object")
    if team and request.method == "POST" and summary.submitted_at is not None:
        services.weekly_summary_mark_read(shop=shop, summary=summary, acting_user=_user(request))
        messages.success(request, _("已标记为已读"))
    context = {"shop": shop, "summary": summary, "chars": summary_chars(summary.text), "team": team}
    return render(request, "worklog/summary_detail.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def daily(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    today = shop_today(tz=shop.timezone)
    day = _date(request.GET.get("day", ""), today)
    policy = _policy(request, day)
    if policy is None:
        return redirect("policy:page", shop_id=shop.pk)
    rule = policy.daily_record
    me = agent_of_user(shop=shop, user=request.user)
    record = selectors.daily_record_of(shop=shop, agent=me, day=day) if me else None
    prefill = selectors.daily_record_prefill(shop=shop, agent=me, day=day) if me else {}
    initial = {k: v for k, v in prefill.items() if k != "source"}
    if record is not None:
        initial = {k: getattr(record, k) for k in (rule.items or initial)}
    form = DailyRecordForm(request.POST or None, items=list(rule.items), initial=initial)
    if request.method == "POST" and me is not None and form.is_valid():
        try:
            services.daily_record_save(
                shop=shop,
                agent=me,
                local_date=day,
                values=form.cleaned_data,
                prefilled=prefill,
                acting_user=_user(request),
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("每日记录已提交"))
            url = reverse("worklog:daily", kwargs={"shop_id": shop.pk})
            return redirect(f"{url}?day={day.isoformat()}")
    team = can(role=request.role, capability=Capability.VIEW_TEAM)
    context = {
        "shop": shop,
        "day": day,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "rule": rule,
        "me": me,
        "record": record,
        "prefill_source": prefill.get("source", ""),
        "due_weekday": WEEKDAY_NAMES.get(rule.due.weekday, "") if rule.due else "",
        "form": form,
        "team": team,
        "records": selectors.daily_records(shop=shop, start=day - dt.timedelta(days=6), end=day)
        if team
        else [],
    }
    return render(request, "worklog/daily.html", context)


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def facts_record(request: ShopRequest) -> HttpResponse:
    """Record yesterday's worklog facts now (what the daily job does each morning)."""
    shop = request.shop
    day = shop_today(tz=shop.timezone) - dt.timedelta(days=1)
    count = facts.worklog_facts_record(shop=shop, day=day)
    messages.success(request, _("已记录 %(n)s 条交接与总结事实") % {"n": count})
    return redirect("worklog:handover", shop_id=shop.pk)
