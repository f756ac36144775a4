"""Pages of after-sales cases: the list, opening a case, one case with its path (steps, chat
log, photos, party at fault, resolution, payments). Thin: one selector or service each. The
ledger's pages are in ledger_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.aftersales import selectors, services
from kefu.aftersales.choices import CaseStatus, CaseType, Direction, Party, Remedy
from kefu.aftersales.engine.photos import size_problem
from kefu.aftersales.forms import CaseForm, PaymentForm, PhotoForm
from kefu.aftersales.ledger import payment_record
from kefu.aftersales.models import Case, Photo
from kefu.buyers.selectors import buyer_notes_for
from kefu.core import clock
from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.errors import InvalidInput
from kefu.staff.models import Agent, Assignment
from kefu.web.shop_views import ShopRequest, shop_view


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _me(request: ShopRequest) -> Agent | None:
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


def _case(request: ShopRequest, case_id: int, *, act: bool = False) -> Case:
    """A case of this shop the user may see (act: may work on). Agents see their own cases;
    the team's roles see all; only the case's agent and managers work on one."""
    case = shop_object_or_404(
        Case.objects.select_related("agent", "order", "buyer"), shop=request.shop, pk=case_id
    )
    if _manager(request):
        return case
    me = _me(request)
    mine = me is not None and case.agent_id == me.pk
    if act and not mine:
        raise Http404("No such object")
    if not mine and not can(role=request.role, capability=Capability.VIEW_TEAM):
        raise Http404("No such object")
    return case


def _back(case: Case) -> HttpResponse:
    return redirect("aftersales:case", shop_id=case.shop_id, case_id=case.pk)


def _error(request: ShopRequest, exc: InvalidInput) -> None:
    for line in exc.details or [exc.message]:
        messages.error(request, line)


@shop_view(Capability.VIEW_DASHBOARD)
def case_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    team = can(role=request.role, capability=Capability.VIEW_TEAM)
    me = None if team else _me(request)
    now = clock.now()
    listed = (
        selectors.cases(shop=shop, status=status, agent=me, overdue_first_at=now)
        if team or me
        else Case.objects.none()
    )
    rows = [(c, selectors.case_deadlines(c, now=now)) for c in listed[:200]]
    # Colleagues' notes beside each buyer, read in one query for the page.
    buyer_notes = buyer_notes_for(shop=request.shop, nicknames={c.buyer_nick for c, _ in rows})
    context = {
        "shop": shop,
        "rows": rows,
        "buyer_notes": buyer_notes,
        "status": status,
        "statuses": CaseStatus.choices,
        "overdue": selectors.cases_overdue(shop=shop, now=now).count() if team else None,
        "ledger": can(role=request.role, capability=Capability.VIEW_PAY),
    }
    return render(request, "aftersales/case_list.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def case_new(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    me = _me(request)
    manager = _manager(request)
    agents = (
        list(
            Agent.objects.filter(assignments__shop=shop, assignments__active=True)
            .order_by("name")
            .values_list("pk", "name")
        )
        if manager
        else []
    )
    initial = {"order_no": request.GET.get("order", ""), "agent": me.pk if me else ""}
    form = CaseForm(request.POST or None, agents=agents, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not manager and me is None:
            raise Http404("No such object")
        data = form.cleaned_data
        agent = Agent.objects.filter(pk=data["agent"]).first() if manager and data["agent"] else me
        try:
            case = services.case_open(
                shop=shop,
                type=data["type"],
                order_no=data["order_no"],
                buyer_nick=data["buyer_nick"],
                description=data["description"],
                agent=agent,
                acting_user=_user(request),
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            return _back(case)
    status = 400 if request.method == "POST" else 200
    context = {"shop": shop, "form": form, "manager": manager}
    return render(request, "aftersales/case_new.html", context, status=status)


@shop_view(Capability.VIEW_DASHBOARD)
def case_detail(request: ShopRequest, case_id: int) -> HttpResponse:
    shop = request.shop
    case = _case(request, case_id)
    me = _me(request)
    checklist = selectors.case_checklist(case)
    labels = dict(Remedy.choices)
    context = {
        "shop": shop,
        "case": case,
        "steps": [(i, text, i in case.steps_done) for i, text in enumerate(case.steps)],
        "deadlines": selectors.case_deadlines(case, now=clock.now()),
        "checklist": checklist,
        "photos": case.photos.all(),
        "events": case.events.select_related("actor"),
        "payments": case.payments.select_related("agent", "signed_by").order_by("created_at"),
        "parties": Party.choices,
        "resolutions": [(r, labels.get(r, r)) for r in checklist.resolutions],
        "can_act": _manager(request) or (me is not None and case.agent_id == me.pk),
        "open": case.status != CaseStatus.RESOLVED,
        "photo_form": PhotoForm(),
        "payment_form": PaymentForm(),
        "directions": Direction.choices,
        "type_label": CaseType(case.type).label,
    }
    return render(request, "aftersales/case_detail.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def case_step(request: ShopRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, act=True)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    try:
        index = int(request.POST.get("step", ""))
        services.case_step_done(
            shop=request.shop, case=case, index=index, acting_user=_user(request)
        )
    except ValueError:
        messages.error(request, _("请选择步骤"))
    except InvalidInput as exc:
        _error(request, exc)
    return _back(case)


@shop_view(Capability.VIEW_DASHBOARD)
def case_chat(request: ShopRequest, case_id: int) -> HttpResponse:
    """The buyer's chat log, reached from the case: opening it records that it was read."""
    shop = request.shop
    case = _case(request, case_id)
    me = _me(request)
    if _manager(request) or (me is not None and case.agent_id == me.pk):
        services.case_chat_read(shop=shop, case=case, acting_user=_user(request))
    context = {
        "shop": shop,
        "case": case,
        "conversations": selectors.case_conversations(shop=shop, case=case),
        "can_open": can(role=request.role, capability=Capability.VIEW_TEAM),
    }
    return render(request, "aftersales/case_chat.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def photo_upload(request: ShopRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, act=True)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择照片文件"))
        return _back(case)
    upload = form.cleaned_data["photo"]
    too_big = size_problem(upload.size or 0, upload.name or "")
    if too_big:  # refused before reading it
        messages.error(request, too_big)
        return _back(case)
    try:
        services.case_photo_add(
            shop=request.shop,
            case=case,
            data=upload.read(),
            name=upload.name or "",
            acting_user=_user(request),
        )
    except InvalidInput as exc:
        _error(request, exc)
    return _back(case)


@shop_view(Capability.VIEW_DASHBOARD)
def photo_file(request: ShopRequest, case_id: int, photo_id: int) -> HttpResponse:
    case = _case(request, case_id)
    photo = shop_object_or_404(Photo.objects.filter(case=case), shop=request.shop, pk=photo_id)
    with photo.file.open("rb") as stored:  # at most MAX_PHOTO_BYTES
        response = HttpResponse(stored.read(), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@shop_view(Capability.VIEW_DASHBOARD)
def case_fault(request: ShopRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, act=True)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    signed = request.POST.get("signed_for", "")
    try:
        services.case_fault_record(
            shop=request.shop,
            case=case,
            party=request.POST.get("party", ""),
            note=request.POST.get("note", ""),
            signed_for={"yes": True, "no": False}.get(signed),
            acting_user=_user(request),
        )
    except InvalidInput as exc:
        _error(request, exc)
    return _back(case)


@shop_view(Capability.VIEW_DASHBOARD)
def case_resolve(request: ShopRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, act=True)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    try:
        services.case_resolve(
            shop=request.shop,
            case=case,
            resolution=request.POST.get("resolution", ""),
            coupon=request.POST.get("coupon") == "on",
            note=request.POST.get("note", ""),
            acting_user=_user(request),
        )
    except InvalidInput as exc:
        _error(request, exc)
    else:
        messages.success(request, _("售后已解决"))
    return _back(case)


@shop_view(Capability.VIEW_DASHBOARD)
def case_payment(request: ShopRequest, case_id: int) -> HttpResponse:
    """A payment for this case into the ledger (the case's agent is the one named in the note)."""
    case = _case(request, case_id, act=True)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写金额"))
        return _back(case)
    data = form.cleaned_data
    try:
        payment_record(
            shop=request.shop,
            agent=case.agent or _me(request),
            content=data["content"],
            amount=data["amount"],
            direction=data["direction"],
            case=case,
            acting_user=_user(request),
        )
    except InvalidInput as exc:
        _error(request, exc)
    return _back(case)
