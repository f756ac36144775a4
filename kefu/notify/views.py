from django.http import HttpResponse
from django.shortcuts import render

from kefu.core.access import Capability
from kefu.web.shop_views import ShopRequest, shop_view


@shop_view(Capability.VIEW_DASHBOARD)
def notice_list(request: ShopRequest) -> HttpResponse:
    return render(request, "notify/list.html", {})
