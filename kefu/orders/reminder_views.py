"""Pages of the unpaid-order reminders 催付: the list of rounds with the conversion, one round's
orders (marked by its agent), and the supervisor's choice of agent. Thin: one service each."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.clock import shop_today
from kefu.core.errors import InvalidInput
from kefu.core.masking import mask_phone
from kefu.orders import reminder_selectors, reminders
from kefu.orders.contact import order_contact
from kefu.orders.models import Reminder, ReminderBatch
from kefu.staff.models import Agent, Assignment
from kefu.web.shop_views import ShopRequest, shop_view

CONVERSION_DAYS = 30  # the page's window; the dashboard asks the selector for its own


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _agent(request: ShopRequest) -> Agent | None:
    """The signed-in user's agent record in this shop, if they serve it."""
    assignment = (
        Assignment.objects.filter(
            shop=request.shop, agent__user_id=request.user.pk or 0, active=True
        )
        .select_related("agent")
        .first()
    )
    return assignment.agent if assignment is not None else None


def _manager(request: ShopRequest) -> bool:
    return can(role=request.role, capability=Capability.MANAGE_TEAM)


def _batch(request: ShopRequest, batch_id: int) -> ReminderBatch:
    """A batch of this shop; an agent without team rights sees only the batches given to them
    and the split lists they have a share of."""
    batch = shop_object_or_404(
        ReminderBatch.objects.select_related("agent"), shop=request.shop, pk=batch_id
    )
    if not can(role=request.role, capability=Capability.VIEW_TEAM):
        me = _agent(request)
        if me is None or not (batch.agent_id == me.pk or batch.reminders.filter(agent=me).exists()):
            raise Http404("No such object")
    return batch


@shop_view(Capability.VIEW_DASHBOARD)
def reminder_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    reminders.reminder_outcomes_refresh(shop=shop)
    team = can(role=request.role, capability=Capability.VIEW_TEAM)
    me = None if team else _agent(request)
    today = shop_today(tz=shop.timezone)
    start = today - dt.timedelta(days=CONVERSION_DAYS - 1)
    batches = reminder_selectors.reminder_batches(shop=shop, agent=me) if team or me else None
    context = {
        "shop": shop,
        "batches": batches[:60] if batches is not None else [],
        "conversion": reminder_selectors.reminder_conversion(
            shop=shop, start=start, end=today, agent=me
        ),
        "start": start,
        "today": today,
        "rule": reminders.reminder_rule(shop=shop, day=today),
        "manager": _manager(request),
    }
    return render(request, "orders/reminder_list.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def reminder_batch(request: ShopRequest, reminder_batch_id: int) -> HttpResponse:
    shop = request.shop
    batch = _batch(request, reminder_batch_id)
    me = _agent(request)
    manager = _manager(request)
    split = batch.reminders.filter(agent__isnull=False).exists()
    # On a split list an agent without team rights sees their own share.
    only = me if split and not can(role=request.role, capability=Capability.VIEW_TEAM) else None
    rows = [
        (
            r,
            mask_phone(order_contact(order=r.order).phone),
            manager or (me is not None and reminder_selectors.reminder_owner_id(r, batch) == me.pk),
        )
        for r in reminder_selectors.reminders_of_batch(shop=shop, batch=batch, agent=only)
    ]
    agents = (
        Agent.objects.filter(assignments__shop=shop, assignments__active=True).order_by("name")
        if _manager(request)
        else Agent.objects.none()
    )
    context = {
        "shop": shop,
        "batch": batch,
        "rows": rows,
        "agents": agents,
        "manager": manager,
        "split": split,
        "sharers": sorted({r.agent.name for r, _, _ in rows if r.agent is not None}),
    }
    return render(request, "orders/reminder_batch.html", context)


@shop_view(Capability.MANAGE_TEAM)
def reminder_assign(request: ShopRequest, reminder_batch_id: int) -> HttpResponse:
    shop = request.shop
    batch = _batch(request, reminder_batch_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    agent = Agent.objects.filter(pk=request.POST.get("agent") or 0, assignments__shop=shop).first()
    if agent is None:
        messages.error(request, _("请选择本店的客服"))
    else:
        try:
            reminders.reminder_batch_assign(
                shop=shop, batch=batch, agent=agent, acting_user=_user(request)
            )
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已交给 %(name)s 催付") % {"name": agent.name})
    return redirect("orders:reminder_batch", shop_id=shop.pk, reminder_batch_id=batch.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def reminder_mark(request: ShopRequest, reminder_id: int) -> HttpResponse:
    shop = request.shop
    reminder = shop_object_or_404(
        Reminder.objects.select_related("batch"), shop=shop, pk=reminder_id
    )
    batch = _batch(request, reminder.batch_id)
    me = _agent(request)
    owner = reminder_selectors.reminder_owner_id(reminder, batch)
    if not (_manager(request) or (me is not None and me.pk == owner)):
        raise Http404("No such object")
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    reminders.reminder_mark(
        shop=shop,
        reminder=reminder,
        agent=me or reminder.agent or batch.agent,
        acting_user=_user(request),
    )
    return redirect("orders:reminder_batch", shop_id=shop.pk, reminder_batch_id=batch.pk)
