"""Pages of the complaint register 投诉处理登记表: the register with this month's counts per
agent, a new complaint, and one complaint with the form for its next step. Thin."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.complaints import selectors, services
from kefu.complaints.choices import Step
from kefu.complaints.forms import ComplaintForm, ConfirmForm, StepForm, VisitForm
from kefu.complaints.models import Complaint
from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.clock import shop_today
from kefu.core.errors import InvalidInput
from kefu.staff.models import Agent
from kefu.web.actions import form_action
from kefu.web.shop_views import ShopRequest, shop_view


def acting_user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _manager(request: ShopRequest) -> bool:
    return can(role=request.role, capability=Capability.MANAGE_TEAM)


def _visible(request: ShopRequest, state: str = ""):  # type: ignore[no-untyped-def]
    team = can(role=request.role, capability=Capability.VIEW_TEAM)
    own = (
        Agent.objects.filter(user_id=request.user.pk, assignments__shop=request.shop).first()
        if request.user.pk is not None
        else None
    )
    return selectors.complaints_for(shop=request.shop, state=state, agent=own, only_agent=not team)


@shop_view(Capability.VIEW_DASHBOARD)
def complaint_list(request: ShopRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    today = shop_today(tz=request.shop.timezone)
    team = can(role=request.role, capability=Capability.VIEW_TEAM)
    context = {
        "shop": request.shop,
        "complaints": _visible(request, state if state in ("open", "closed") else "")[:500],
        "state": state,
        "month": today,
        "by_agent": selectors.valid_by_agent(shop=request.shop, month=today) if team else [],
        "manager": _manager(request),
    }
    return render(request, "complaints/complaint_list.html", context)


@shop_view(Capability.MANAGE_TEAM)
def complaint_new(request: ShopRequest) -> HttpResponse:
    form = ComplaintForm(request.POST or None, shop=request.shop)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_record(
                shop=request.shop, acting_user=acting_user(request), **form.cleaned_data
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("投诉已登记"))
            return redirect("complaints:detail", shop_id=request.shop.pk, complaint_id=complaint.pk)
    return render(request, "complaints/complaint_new.html", {"shop": request.shop, "form": form})


@shop_view(Capability.VIEW_DASHBOARD)
def complaint_detail(request: ShopRequest, complaint_id: int) -> HttpResponse:
    complaint = shop_object_or_404(_visible(request), shop=request.shop, pk=complaint_id)
    step = services.next_step(shop=request.shop, complaint=complaint)
    context = {
        "shop": request.shop,
        "complaint": complaint,
        "events": complaint.events.select_related("by"),
        "next_step": step,
        "next_label": Step(step).label if step else "",
        "step_form": StepForm(auto_id="step_%s", initial={"step": step}),
        "confirm_form": ConfirmForm(
            auto_id="confirm_%s", shop=request.shop, initial={"agent": complaint.agent_id}
        ),
        "visit_form": VisitForm(auto_id="visit_%s"),
        "manager": _manager(request),
    }
    return render(request, "complaints/complaint_detail.html", context)


def _complaint_for_post(request: ShopRequest, complaint_id: int) -> Complaint | HttpResponse:
    complaint = shop_object_or_404(Complaint.objects.all(), shop=request.shop, pk=complaint_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    return complaint


def _done(request: ShopRequest, complaint: Complaint) -> HttpResponse:
    return redirect("complaints:detail", shop_id=request.shop.pk, complaint_id=complaint.pk)


@shop_view(Capability.MANAGE_TEAM)
def complaint_step(request: ShopRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint_for_post(request, complaint_id)
    if isinstance(complaint, HttpResponse):
        return complaint
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_step_record(
                shop=request.shop,
                complaint=complaint,
                step=form.cleaned_data["step"],
                note=form.cleaned_data["note"],
                acting_user=acting_user(request),
            )
        except (InvalidInput, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
    return _done(request, complaint)


@shop_view(Capability.MANAGE_TEAM)
def complaint_confirm(request: ShopRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint_for_post(request, complaint_id)
    if isinstance(complaint, HttpResponse):
        return complaint
    form_action(
        request,
        ConfirmForm(request.POST, shop=request.shop),
        partial(
            services.complaint_confirm,
            shop=request.shop,
            complaint=complaint,
            acting_user=acting_user(request),
        ),
        done=_("结果已确认"),
        incomplete=_("确认结果填写不完整"),
    )
    return _done(request, complaint)


@shop_view(Capability.MANAGE_TEAM)
def complaint_visit(request: ShopRequest, complaint_id: int) -> HttpResponse:
    complaint = _complaint_for_post(request, complaint_id)
    if isinstance(complaint, HttpResponse):
        return complaint
    form_action(
        request,
        VisitForm(request.POST),
        partial(
            services.complaint_return_visit,
            shop=request.shop,
            complaint=complaint,
            acting_user=acting_user(request),
        ),
        done=_("回访已记录"),
        incomplete=_("请选择满意度"),
    )
    return _done(request, complaint)
