"""Pages of the quick-reply library and product knowledge. Thin: one selector or service each.
Exams are in exam_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from kefu.core.access import Capability, can, shop_object_or_404
from kefu.core.clock import shop_today
from kefu.core.errors import InvalidInput
from kefu.knowledge import selectors, services, stock
from kefu.knowledge.forms import FaqForm, ImportForm, PhraseForm, ProductForm
from kefu.knowledge.limits import phrase_max_length
from kefu.knowledge.models import Product, QuickPhrase
from kefu.knowledge.phrase_file import write_csv, write_xlsx
from kefu.web.shop_views import ShopRequest, shop_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def acting_user(request: ShopRequest) -> User | None:
    """The signed-in user as the services' acting_user (shop_view admits members only)."""
    return request.user if isinstance(request.user, User) else None


def is_manager(request: ShopRequest) -> bool:
    return can(role=request.role, capability=Capability.MANAGE_TEAM)


def show_error(request: ShopRequest, exc: InvalidInput) -> None:
    messages.error(request, exc.message)
    for detail in exc.details[1:]:
        messages.error(request, detail)


# --- quick phrases -----------------------------------------------------------------------------


@shop_view(Capability.VIEW_DASHBOARD)
def phrase_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    groups = selectors.phrase_groups(shop=shop)
    group = request.GET.get("group", "")
    listed = selectors.phrases_in_scene_order(shop=shop, group=group)
    context = {
        "shop": shop,
        "groups": groups,
        "group": group,
        "phrases": listed,
        "usage": selectors.phrase_usage(shop=shop),
        "manager": is_manager(request),
    }
    return render(request, "knowledge/phrase_list.html", context)


@shop_view(Capability.MANAGE_TEAM)
def phrase_edit(request: ShopRequest, phrase_id: int | None = None) -> HttpResponse:
    """New phrase (no id) or a new version of one, with the version history."""
    shop = request.shop
    phrase = (
        shop_object_or_404(QuickPhrase.objects.all(), shop=shop, pk=phrase_id)
        if phrase_id is not None
        else None
    )
    initial: dict[str, object] = {"group": request.GET.get("group", "")}
    if phrase is not None:
        initial = {
            "group": phrase.group,
            "shortcut": phrase.shortcut,
            "text": phrase.text,
            "product": phrase.product_id,
        }
    form = PhraseForm(request.POST or None, shop=shop, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            if phrase is None:
                saved, warnings = services.quick_phrase_create(
                    shop=shop, acting_user=acting_user(request), **values
                )
            else:
                saved, warnings = services.quick_phrase_update(
                    shop=shop, phrase=phrase, acting_user=acting_user(request), **values
                )
        except InvalidInput as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, f"已保存（第 {saved.version} 版）")
            for warning in warnings:
                messages.warning(request, warning)
            url = reverse("knowledge:phrases", kwargs={"shop_id": shop.pk})
            return redirect(f"{url}?{urlencode({'group': saved.group})}#phrase-{saved.pk}")
    context = {
        "shop": shop,
        "form": form,
        "phrase": phrase,
        "versions": phrase.versions.select_related("created_by") if phrase else [],
        "limit": phrase_max_length(shop.platform),
    }
    return render(request, "knowledge/phrase_edit.html", context)


@shop_view(Capability.MANAGE_TEAM)
def phrase_archive(request: ShopRequest, phrase_id: int) -> HttpResponse:
    phrase = shop_object_or_404(QuickPhrase.objects.all(), shop=request.shop, pk=phrase_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    services.quick_phrase_archive(
        shop=request.shop, phrase=phrase, acting_user=acting_user(request)
    )
    messages.success(request, "短语已删除（历史版本保留）")
    return redirect("knowledge:phrases", shop_id=request.shop.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def phrase_use(request: ShopRequest, phrase_id: int) -> HttpResponse:
    """An agent copied the phrase: count it. htmx swaps in the new count."""
    phrase = shop_object_or_404(
        QuickPhrase.objects.filter(active=True), shop=request.shop, pk=phrase_id
    )
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    count = services.quick_phrase_use(
        shop=request.shop, phrase=phrase, acting_user=acting_user(request)
    )
    if getattr(request, "htmx", False):
        return render(request, "knowledge/phrase_list.html#use-count", {"phrase": phrase})
    messages.success(request, f"已记录使用（共 {count} 次）")
    return redirect("knowledge:phrases", shop_id=request.shop.pk)


@shop_view(Capability.MANAGE_TEAM)
@require_POST
def phrase_seed(request: ShopRequest) -> HttpResponse:
    added = services.quick_phrases_seed(shop=request.shop, acting_user=acting_user(request))
    messages.success(request, f"已加入 {added} 条基础短语")
    return redirect("knowledge:phrases", shop_id=request.shop.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def phrase_export(request: ShopRequest) -> HttpResponse:
    rows = selectors.phrase_export_rows(shop=request.shop)
    name = f"kuaijie-duanyu-{request.shop.pk}"
    if request.GET.get("format") == "csv":
        response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
        name += ".csv"
    else:
        response = HttpResponse(write_xlsx(rows), content_type=XLSX)
        name += ".xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@shop_view(Capability.MANAGE_TEAM)
def phrase_import(request: ShopRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            added, updated = services.quick_phrases_import(
                shop=request.shop,
                data=upload.read(),
                filename=upload.name,
                acting_user=acting_user(request),
            )
        except InvalidInput as exc:
            show_error(request, exc)
        else:
            messages.success(request, f"导入完成：新增 {added} 条，更新 {updated} 条")
            return redirect("knowledge:phrases", shop_id=request.shop.pk)
    return render(request, "knowledge/phrase_import.html", {"shop": request.shop, "form": form})


# --- products ----------------------------------------------------------------------------------


@shop_view(Capability.VIEW_DASHBOARD)
def product_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    manager = is_manager(request)
    today = shop_today(tz=shop.timezone)
    context = {
        "shop": shop,
        "products": selectors.products(shop=shop),
        "launches": selectors.upcoming_launches(shop=shop, on=today) if manager else [],
        "manager": manager,
        "today": today,
    }
    return render(request, "knowledge/product_list.html", context)


@shop_view(Capability.MANAGE_TEAM)
def product_import(request: ShopRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["file"].label = "商品数据文件（.xlsx 或 .csv）"
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            added, filled = services.products_import(
                shop=request.shop,
                data=upload.read(),
                filename=upload.name,
                acting_user=acting_user(request),
            )
        except InvalidInput as exc:
            show_error(request, exc)
        else:
            messages.success(request, f"导入完成：新增 {added} 个商品，补充 {filled} 个商品的资料")
            return redirect("knowledge:products", shop_id=request.shop.pk)
    return render(request, "knowledge/product_import.html", {"shop": request.shop, "form": form})


@shop_view(Capability.VIEW_DASHBOARD)
def product_detail(request: ShopRequest, product_id: int) -> HttpResponse:
    shop = request.shop
    product = shop_object_or_404(Product.objects.all(), shop=shop, pk=product_id)
    manager = is_manager(request)
    agent = selectors.agent_of(shop=shop, user=request.user)
    context = {
        "shop": shop,
        "product": product,
        "faqs": product.faqs.all(),
        "phrases": selectors.phrases(shop=shop).filter(product=product),
        "manager": manager,
        "checklist": selectors.launch_checklist(
            shop=shop, product=product, on=shop_today(tz=shop.timezone)
        )
        if manager
        else None,
        "agent": agent,
        "confirmed": agent is not None and product.confirmations.filter(agent=agent).exists(),
        "faq_form": FaqForm(),
    }
    return render(request, "knowledge/product_detail.html", context)


@shop_view(Capability.MANAGE_TEAM)
def product_edit(request: ShopRequest, product_id: int | None = None) -> HttpResponse:
    shop = request.shop
    product = (
        shop_object_or_404(Product.objects.all(), shop=shop, pk=product_id)
        if product_id is not None
        else None
    )
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.product_save(
                shop=shop,
                product=product,
                values=form.cleaned_data,
                acting_user=acting_user(request),
            )
        except InvalidInput as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, "商品已保存")
            return redirect("knowledge:product", shop_id=shop.pk, product_id=saved.pk)
    context = {"shop": shop, "form": form, "product": product}
    return render(request, "knowledge/product_edit.html", context)


@shop_view(Capability.MANAGE_TEAM)
def product_faq_add(request: ShopRequest, product_id: int) -> HttpResponse:
    product = shop_object_or_404(Product.objects.all(), shop=request.shop, pk=product_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    form = FaqForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput("问题和回答都要填写")
        services.product_faq_add(
            shop=request.shop,
            product=product,
            acting_user=acting_user(request),
            **form.cleaned_data,
        )
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已添加常见问题")
    return redirect("knowledge:product", shop_id=request.shop.pk, product_id=product.pk)


@shop_view(Capability.VIEW_DASHBOARD)
def product_confirm(request: ShopRequest, product_id: int) -> HttpResponse:
    product = shop_object_or_404(Product.objects.all(), shop=request.shop, pk=product_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    agent = selectors.agent_of(shop=request.shop, user=request.user)
    if agent is None:
        messages.error(request, "只有本店在岗客服需要确认学习")
    else:
        services.product_confirm(
            shop=request.shop, product=product, agent=agent, acting_user=acting_user(request)
        )
        messages.success(request, "已确认学习该商品")
    return redirect("knowledge:product", shop_id=request.shop.pk, product_id=product.pk)


@shop_view(Capability.MANAGE_TEAM)
def product_stock(request: ShopRequest, product_id: int) -> HttpResponse:
    """The supervisor records a product's stock by hand (item data sets it on import)."""
    product = shop_object_or_404(Product.objects.all(), shop=request.shop, pk=product_id)
    if request.method != "POST":  # after the lookup: another shop's object is 404 first
        return HttpResponseNotAllowed(["POST"])
    raw = (request.POST.get("stock") or "").strip()
    try:
        if not raw.isdigit():
            raise InvalidInput("库存应为 0 或正整数（件）")
        stock.product_stock_set(
            shop=request.shop, product=product, stock=int(raw), acting_user=acting_user(request)
        )
    except InvalidInput as exc:
        show_error(request, exc)
    else:
        messages.success(request, "库存已更新")
    return redirect("knowledge:product", shop_id=request.shop.pk, product_id=product.pk)
