"""Buyer pages: the list and the groups, one buyer's profile with its timeline, notes, tags,
contacts (masked, revealed by role), links, export and erasure; the return-visit work list and
the follow-up list. Thin: one selector or service each."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from openpyxl import Workbook

from kefu.buyers import groups as group_services
from kefu.buyers import privacy, selectors, services, visit_services
from kefu.buyers.choices import Channel, ContactKind, FollowUpOutcome, Group, VisitOutcome
from kefu.buyers.models import ReturnVisit
from kefu.buyers.timeline import buyer_timeline
from kefu.conversations.models import Buyer
from kefu.core.access import Capability, can, shop_object_or_404, shops_for
from kefu.core.clock import now as clock_now
from kefu.core.clock import shop_today
from kefu.core.errors import Forbidden, InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.knowledge.models import QuickPhrase
from kefu.knowledge.selectors import agent_of
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent
from kefu.web.shop_views import ShopRequest, shop_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 50


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _manager(request: ShopRequest) -> bool:
    return can(role=request.role, capability=Capability.MANAGE_TEAM)


def _buyer(request: ShopRequest, buyer_id: int) -> Buyer:
    return shop_object_or_404(Buyer.objects.all(), shop=request.shop, pk=buyer_id)


def _back(request: ShopRequest, buyer: Buyer) -> HttpResponse:
    return redirect("buyers:profile", shop_id=request.shop.pk, buyer_id=buyer.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def buyer_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    group = request.GET.get("group", "")
    query = request.GET.get("q", "")
    rows = (
        selectors.group_members(shop=shop, group=group)
        if group in Group.values
        else selectors.buyers(shop=shop, query=query)
    )
    context = {
        "shop": shop,
        "page": Paginator(rows, PAGE).get_page(request.GET.get("page")),
        "group": group,
        "query": query,
        "groups": [
            (g, label, n)
            for (g, label), n in zip(
                Group.choices, selectors.group_counts(shop=shop).values(), strict=True
            )
        ],
        "manager": _manager(request),
    }
    return render(request, "buyers/list.html", context)


@shop_view(Capability.MANAGE_TEAM)
def group_export(request: ShopRequest) -> HttpResponse:
    group = request.GET.get("group", Group.VIP)
    if group not in Group.values:
        raise Http404("没有这个分组")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(Group(group).label)
    sheet.append(["买家", "实付总额", "订单数", "最近联系"])
    rows = selectors.group_members(shop=request.shop, group=group).values_list(  # type: ignore[misc]
        "nickname", "paid_total", "order_count", "last_contact"
    )
    for nickname, paid_total, order_count, last_contact in rows:
        last = (
            last_contact.astimezone(request.shop.tzinfo).replace(tzinfo=None)
            if last_contact
            else None
        )
        sheet.append([nickname, paid_total, order_count, last])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="buyers-{group}.xlsx"'
    return response


@shop_view(Capability.MANAGE_TEAM)
def groups_recompute(request: ShopRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    result = group_services.groups_recompute(shop=request.shop)
    messages.success(
        request,
        "分组已更新：" + "，".join(f"{Group(g).label} {n} 人" for g, n in result.members.items()),
    )
    return redirect("buyers:list", shop_id=request.shop.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def buyer_profile(request: ShopRequest, buyer_id: int) -> HttpResponse:
    shop = request.shop
    buyer = _buyer(request, buyer_id)
    context = {
        "shop": shop,
        "buyer": buyer,
        "summary": selectors.buyer_summary(shop=shop, buyer=buyer),
        "timeline": buyer_timeline(shop=shop, buyer=buyer),
        "notes": selectors.buyer_notes(shop=shop, buyer=buyer),
        "tags": selectors.buyer_tags(shop=shop, buyer=buyer),
        "groups": [Group(g).label for g in selectors.buyer_groups(shop=shop, buyer=buyer)],
        "links": selectors.buyer_links(shop=shop, buyer=buyer),
        "contacts": privacy.buyer_contacts(shop=shop, buyer=buyer),
        "contact_kinds": ContactKind.choices,
        "follow_up_outcomes": FollowUpOutcome.choices,
        "can_reveal": can(role=request.role, capability=Capability.REVEAL_PERSONAL_DATA),
        "manager": _manager(request),
        "link_shops": [
            s
            for s in shops_for(user=request.user)
            if s.agency_id == shop.agency_id and s.pk != shop.pk
        ]
        if _manager(request)
        else [],
    }
    return render(request, "buyers/profile.html", context)


def _buyer_write(
    request: ShopRequest, buyer_id: int, write: Callable[[Buyer], object]
) -> HttpResponse:
    """The profile's small posted forms: another shop's buyer is a 404 before anything else,
    a GET is refused, a service's refusal becomes a message; back to the profile either way."""
    buyer = _buyer(request, buyer_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        write(buyer)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return _back(request, buyer)


@shop_view(Capability.VIEW_DASHBOARD)
def note_add(request: ShopRequest, buyer_id: int) -> HttpResponse:
    return _buyer_write(
        request,
        buyer_id,
        lambda buyer: services.buyer_note_add(
            shop=request.shop,
            buyer=buyer,
            text=request.POST.get("text", ""),
            acting_user=_user(request),
        ),
    )


@shop_view(Capability.VIEW_DASHBOARD)
def tag_edit(request: ShopRequest, buyer_id: int) -> HttpResponse:
    name = request.POST.get("name", "")
    tag_write = services.buyer_tag_remove if request.POST.get("remove") else services.buyer_tag_add
    return _buyer_write(
        request,
        buyer_id,
        lambda buyer: tag_write(
            shop=request.shop, buyer=buyer, name=name, acting_user=_user(request)
        ),
    )


@shop_view(Capability.VIEW_DASHBOARD)
def contact_add(request: ShopRequest, buyer_id: int) -> HttpResponse:
    return _buyer_write(
        request,
        buyer_id,
        lambda buyer: services.buyer_contact_add(
            shop=request.shop,
            buyer=buyer,
            kind=request.POST.get("kind", ""),
            value=request.POST.get("value", ""),
            acting_user=_user(request),
        ),
    )


@shop_view(Capability.VIEW_DASHBOARD)
def contact_reveal(request: ShopRequest, buyer_id: int) -> HttpResponse:
    buyer = _buyer(request, buyer_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        value = privacy.contact_reveal(
            shop=request.shop,
            buyer=buyer,
            ref=request.POST.get("ref", ""),
            role=request.role,
            acting_user=_user(request),
        )
    except Forbidden as exc:
        return HttpResponse(exc.message, status=403)
    if getattr(request, "htmx", False):
        return HttpResponse(format_html('<span data-testid="revealed">{}</span>', value))
    return HttpResponse(value, content_type="text/plain; charset=utf-8")


@shop_view(Capability.MANAGE_TEAM)
def buyer_link(request: ShopRequest, buyer_id: int) -> HttpResponse:
    buyer = _buyer(request, buyer_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    other_shop_id = request.POST.get("other_shop", "")
    nickname = request.POST.get("nickname", "").strip()
    other = Buyer.objects.filter(
        shop__in=shops_for(user=request.user),
        shop_id=other_shop_id if other_shop_id.isdigit() else 0,
        nickname=nickname,
    ).first()
    if other is None:
        messages.error(request, f"在所选店铺里没有找到买家「{nickname}」")
        return _back(request, buyer)
    try:
        services.buyer_link(shop=request.shop, buyer=buyer, other=other, acting_user=_user(request))
    except (InvalidInput, NotFound) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已关联：{other.nickname}")
    return _back(request, buyer)


@shop_view(Capability.MANAGE_TEAM)
def buyer_export(request: ShopRequest, buyer_id: int) -> HttpResponse:
    buyer = _buyer(request, buyer_id)
    data = privacy.buyer_data_export(shop=request.shop, buyer=buyer, acting_user=_user(request))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(privacy.buyer_data_xlsx(data), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="buyer-{buyer.pk}.xlsx"'
        return response
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="buyer-{buyer.pk}.json"'
    return response


@shop_view(Capability.MANAGE_TEAM)
def buyer_erase(request: ShopRequest, buyer_id: int) -> HttpResponse:
    buyer = _buyer(request, buyer_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        privacy.buyer_erase(
            shop=request.shop,
            buyer=buyer,
            reason=request.POST.get("reason", ""),
            acting_user=_user(request),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除该买家的个人信息，店铺的统计数据不变")
    return _back(request, buyer)


# --- return visits ------------------------------------------------------------------------------


def _named_scores(shop: Shop, today: dt.date) -> list[tuple[str, Decimal]]:
    scores = selectors.return_visit_satisfaction(shop=shop, month=today.strftime("%Y-%m"))
    names = dict(Agent.objects.filter(pk__in=scores).values_list("pk", "name"))
    return sorted(((names.get(pk, str(pk)), score) for pk, score in scores.items()))


@shop_view(Capability.VIEW_DASHBOARD)
def visit_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    today = shop_today(tz=shop.timezone)
    manager = _manager(request)
    agent = agent_of(shop=shop, user=request.user)
    if manager:
        due = selectors.visits_due(shop=shop, on=today)
    else:
        due = selectors.visits_due(shop=shop, on=today, agent_id=agent.pk if agent else 0)
    context = {
        "shop": shop,
        "today": today,
        "due": due,
        "missed": selectors.visits_missed(shop=shop, since=today - dt.timedelta(days=90))
        if manager
        else [],
        "channels": Channel.choices,
        "outcomes": VisitOutcome.choices,
        "manager": manager,
        "month_scores": _named_scores(shop, today) if manager else [],
    }
    return render(request, "buyers/visits.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def visit_record(request: ShopRequest, visit_id: int) -> HttpResponse:
    visit = shop_object_or_404(ReturnVisit.objects.all(), shop=request.shop, pk=visit_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    agent = agent_of(shop=request.shop, user=request.user)
    if not _manager(request) and (agent is None or visit.agent_id not in (None, agent.pk)):
        raise Http404("没有这个回访")
    score = request.POST.get("satisfaction", "")
    try:
        visit_services.return_visit_record(
            shop=request.shop,
            visit=visit,
            channel=request.POST.get("channel", ""),
            outcome=request.POST.get("outcome", ""),
            satisfaction=int(score) if score.isdigit() else None,
            remark=request.POST.get("remark", ""),
            acting_user=_user(request),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "回访已记录")
    return redirect("buyers:visits", shop_id=request.shop.pk)


# --- follow-ups ---------------------------------------------------------------------------------


def _suggestions(request: ShopRequest, groups: list[str]) -> list[QuickPhrase]:
    phrases = QuickPhrase.objects.filter(shop=request.shop, active=True, group__in=groups)
    order = {g: i for i, g in enumerate(groups)}
    return sorted(phrases, key=lambda p: (order.get(p.group, 99), p.pk))


@shop_view(Capability.VIEW_DASHBOARD)
def follow_up_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    quiet_days, groups, clause = 7, ["跟进", "催付"], ""
    try:
        section = policy_in_force(shop=shop, on=shop_today(tz=shop.timezone)).policy.buyers
    except NotFound:
        section = None
    if section is not None and section.follow_up is not None:
        rule = section.follow_up
        quiet_days, groups, clause = rule.quiet_days, rule.phrase_groups, rule.clause
    phrases = _suggestions(request, groups)
    context = {
        "shop": shop,
        "candidates": selectors.follow_up_candidates(
            shop=shop, now=clock_now(), quiet_days=quiet_days
        )[:200],
        "recent": selectors.follow_ups(shop=shop)[:50],
        "phrase": phrases[0] if phrases else None,
        "phrases": phrases,
        "quiet_days": quiet_days,
        "clause": clause,
        "outcomes": FollowUpOutcome.choices,
    }
    return render(request, "buyers/follow_ups.html", context)


@shop_view(Capability.VIEW_DASHBOARD)
def follow_up_record(request: ShopRequest, buyer_id: int) -> HttpResponse:
    buyer = _buyer(request, buyer_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.follow_up_record(
            shop=request.shop,
            buyer=buyer,
            outcome=request.POST.get("outcome", ""),
            phrase_text=request.POST.get("phrase_text", ""),
            remark=request.POST.get("remark", ""),
            acting_user=_user(request),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已记录对「{buyer.nickname}」的跟进")
    if request.POST.get("next") == "profile":
        return _back(request, buyer)
    return redirect("buyers:follow_ups", shop_id=request.shop.pk)
