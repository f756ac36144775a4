"""Pages of the review follow-up 中差评: the table, one review with its contacts, the import and
the xlsx export. Thin: one selector or service each."""

from __future__ import annotations

import contextlib
from functools import partial

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.clock import now as clock_now
from kefu.core.clock import shop_today
from kefu.core.errors import InvalidInput, NotFound
from kefu.policy.selectors import policy_in_force
from kefu.reviews import selectors, services
from kefu.reviews.choices import ReviewStatus, Severity
from kefu.reviews.export import review_rows, write_review_xlsx
from kefu.reviews.forms import ContactForm, FaultForm, ImportForm, ProgressForm, SeverityForm
from kefu.reviews.models import Review
from kefu.staff.models import Agent
from kefu.web.actions import form_action
from kefu.web.shop_views import ShopRequest, shop_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def acting_user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def is_manager(request: ShopRequest) -> bool:
    return can(role=request.role, capability=Capability.MANAGE_TEAM)


def own_agent(request: ShopRequest) -> Agent | None:
    if request.user.pk is None:
        return None
    return Agent.objects.filter(user_id=request.user.pk, assignments__shop=request.shop).first()


def _visible(request: ShopRequest, status: str = "", severity: str = ""):  # type: ignore[no-untyped-def]
    manager = can(role=request.role, capability=Capability.VIEW_TEAM)
    return selectors.reviews_for(
        shop=request.shop,
        status=status,
        severity=severity,
        handler=None if manager else own_agent(request),
        only_own=not manager,
    )


def _review(request: ShopRequest, review_id: int) -> Review:
    return shop_object_or_404(_visible(request), shop=request.shop, pk=review_id)


PAGE_SIZE = 50


@shop_view(Capability.VIEW_DASHBOARD)
def review_list(request: ShopRequest) -> HttpResponse:
    """The table, 50 a page; the page links keep the filters (?status=&severity=&page=). An
    htmx request for another page gets the table card alone (review_list.html#reviews)."""
    status = request.GET.get("status", "todo")
    severity = request.GET.get("severity", "")
    page = Paginator(
        _visible(request, status=status if status != "all" else "", severity=severity),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    reviews = list(page.object_list)
    for review in reviews:  # agents see 138****1234 (DESIGN: personal data)
        review.phone_shown = (
            review.phone if is_manager(request) else selectors.mask_phone(review.phone)
        )
    context = {
        "shop": request.shop,
        "reviews": reviews,
        "page": page,
        "status": status,
        "severity": severity,
        "statuses": ReviewStatus.choices,
        "severities": [c for c in Severity.choices if c[0]],
        "counts": selectors.review_counts(shop=request.shop),
        "manager": is_manager(request),
        "reveal_phone": is_manager(request),
    }
    if getattr(request, "htmx", False):
        return render(request, "reviews/review_list.html#reviews", context)
    return render(request, "reviews/review_list.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def review_detail(request: ShopRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    policy = None
    with contextlib.suppress(NotFound):  # no policy yet: the page shows no escalation hint
        policy = policy_in_force(shop=request.shop, on=shop_today(tz=request.shop.timezone)).policy
    context = {
        "shop": request.shop,
        "review": review,
        "contacts": review.contacts.select_related("by"),
        # One page, four forms: distinct ids so each label points at its own field.
        "contact_form": ContactForm(auto_id="contact_%s"),
        "progress_form": ProgressForm(
            auto_id="progress_%s", initial={"progress": review.progress or None}
        ),
        "severity_form": SeverityForm(auto_id="severity_%s", initial={"severity": review.severity}),
        "fault_form": FaultForm(auto_id="fault_%s", shop=request.shop),
        "reviews_policy": policy.reviews if policy else None,
        "manager": is_manager(request),
        "see_chats": can(role=request.role, capability=Capability.VIEW_TEAM),
        "phone": review.phone if is_manager(request) else selectors.mask_phone(review.phone),
        "now": clock_now(),
    }
    return render(request, "reviews/review_detail.html", context)


def _post_only(request: ShopRequest) -> HttpResponse | None:
    return HttpResponseNotAllowed(["POST"]) if request.method != "POST" else None


@shop_view(Capability.VIEW_DASHBOARD)
def review_contact(request: ShopRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    if (refused := _post_only(request)) is not None:
        return refused
    form_action(
        request,
        ContactForm(request.POST),
        partial(
            services.review_contact_record,
            shop=request.shop,
            review=review,
            handler=own_agent(request),
            acting_user=acting_user(request),
        ),
        done=_("已记录联系"),
        incomplete=_("联系记录填写不完整"),
    )
    return redirect("reviews:detail", shop_id=request.shop.pk, review_id=review.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def review_progress(request: ShopRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    if (refused := _post_only(request)) is not None:
        return refused
    form_action(
        request,
        ProgressForm(request.POST),
        partial(
            services.review_progress_set,
            shop=request.shop,
            review=review,
            acting_user=acting_user(request),
        ),
        done=_("进展已更新"),
        incomplete=_("进展填写不完整"),
    )
    return redirect("reviews:detail", shop_id=request.shop.pk, review_id=review.pk)


@shop_view(Capability.MANAGE_TEAM)
def review_severity(request: ShopRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    if (refused := _post_only(request)) is not None:
        return refused
    form = SeverityForm(request.POST)
    if form.is_valid():
        services.review_severity_set(
            shop=request.shop,
            review=review,
            severity=form.cleaned_data["severity"],
            acting_user=acting_user(request),
        )
        messages.success(request, _("严重程度已更新"))
    return redirect("reviews:detail", shop_id=request.shop.pk, review_id=review.pk)


@shop_view(Capability.MANAGE_TEAM)
def review_fault(request: ShopRequest, review_id: int) -> HttpResponse:
    review = _review(request, review_id)
    if (refused := _post_only(request)) is not None:
        return refused
    form = FaultForm(request.POST, shop=request.shop)
    if form.is_valid():
        try:
            services.review_fault_mark(
                shop=request.shop,
                review=review,
                agent=form.cleaned_data["agent"],
                note=form.cleaned_data["note"],
                acting_user=acting_user(request),
            )
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记为客服原因导致的中差评（记入积分与罚款）"))
    else:
        messages.error(request, _("请选择责任客服"))
    return redirect("reviews:detail", shop_id=request.shop.pk, review_id=review.pk)


@shop_view(Capability.MANAGE_TEAM)
def review_import(request: ShopRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.reviews_import(
                shop=request.shop,
                data=upload.read(),
                filename=upload.name,
                acting_user=acting_user(request),
            )
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("导入完成：新增 %(a)d 条，更新 %(u)d 条，未变 %(n)d 条")
                % {"a": result.added, "u": result.updated, "n": result.unchanged},
            )
            return redirect("reviews:list", shop_id=request.shop.pk)
    return render(request, "reviews/review_import.html", {"shop": request.shop, "form": form})


@shop_view(Capability.VIEW_DASHBOARD)
def review_export(request: ShopRequest) -> HttpResponse:
    status = request.GET.get("status", "all")
    reviews = _visible(request, status=status if status != "all" else "").prefetch_related(
        "contacts"
    )
    rows = review_rows(shop=request.shop, reviews=reviews, reveal_phone=is_manager(request))
    response = HttpResponse(write_review_xlsx(rows), content_type=XLSX)
    today = shop_today(tz=request.shop.timezone)
    name = f"zhongchaping-{request.shop.pk}-{today}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
