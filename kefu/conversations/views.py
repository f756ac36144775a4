"""Pages of the chat records: the list, one conversation (the evidence other features link
to), the upload page and the nicknames waiting for an agent. Thin: one selector or service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.conversations import selectors, services
from kefu.conversations.forms import BindForm, UploadForm
from kefu.conversations.models import ChatAccount, Conversation
from kefu.core.access import Capability, shop_object_or_404
from kefu.core.errors import InvalidInput
from kefu.web.shop_views import ShopRequest, shop_view


def _user(request: ShopRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@shop_view(Capability.VIEW_TEAM)
def conversation_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    listed = selectors.conversations(shop=shop)
    buyer = request.GET.get("buyer", "").strip()
    if buyer:
        listed = listed.filter(buyer__nickname__icontains=buyer)
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    unbound = selectors.unbound_accounts(shop=shop).count()
    context = {"shop": shop, "page": page, "buyer": buyer, "unbound": unbound}
    return render(request, "conversations/list.html", context)


@shop_view(Capability.VIEW_TEAM)
def conversation_detail(request: ShopRequest, conversation_id: int) -> HttpResponse:
    shop = request.shop
    conversation = shop_object_or_404(
        Conversation.objects.select_related("buyer"), shop=shop, pk=conversation_id
    )
    result = selectors.transcript(shop=shop, conversation=conversation)
    context = {"shop": shop, "conversation": conversation, "transcript": result}
    return render(request, "conversations/detail.html", context)


@shop_view(Capability.MANAGE_TEAM)
def chat_import(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Each file is its own all-or-nothing import: one bad file does not stop the others.
        for upload in form.cleaned_data["file"]:
            try:
                batch = services.chat_file_import(
                    shop=shop, name=upload.name, stream=upload.file, acting_user=_user(request)
                )
            except InvalidInput as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("%(name)s：读取 %(rows)s 条，新增 %(added)s 条。")
                    % {"name": batch.name, "rows": batch.rows, "added": batch.added},
                )
        return redirect("conversations:import", shop_id=shop.pk)
    batches = selectors.import_batches(shop=shop)[:20]
    context = {"shop": shop, "form": form, "batches": batches}
    return render(request, "conversations/import.html", context)


@shop_view(Capability.MANAGE_TEAM)
def account_list(request: ShopRequest) -> HttpResponse:
    shop = request.shop
    accounts = list(selectors.unbound_accounts(shop=shop))
    forms = [(account, BindForm(shop=shop, prefix=str(account.pk))) for account in accounts]
    return render(request, "conversations/accounts.html", {"shop": shop, "forms": forms})


@shop_view(Capability.MANAGE_TEAM)
def account_bind(request: ShopRequest, account_id: int) -> HttpResponse:
    shop = request.shop
    # The object first: another shop's account is a 404 whatever the method.
    account = shop_object_or_404(ChatAccount.objects.all(), shop=shop, pk=account_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = BindForm(request.POST, shop=shop, prefix=str(account.pk))
    if not form.is_valid():
        messages.error(request, _("请选择客服。"))
        return redirect("conversations:accounts", shop_id=shop.pk)
    agent = form.cleaned_data["agent"]
    try:
        days = services.chat_account_bind(
            shop=shop, account=account, agent=agent, acting_user=_user(request)
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(nick)s 已绑定到 %(agent)s，%(days)s 天的指标待重算。")
            % {"nick": account.nickname, "agent": agent.name, "days": days},
        )
    return redirect("conversations:accounts", shop_id=shop.pk)
