from django.contrib import admin
from django.urls import include, path

from kefu.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Each app's shop pages, under the shop they belong to (see docs/adr/0001).
    path("s/<int:shop_id>/policy/", include("kefu.policy.urls")),
    path("s/<int:shop_id>/notices/", include("kefu.notify.urls")),
    path("s/<int:shop_id>/knowledge/", include("kefu.knowledge.urls")),
    path("s/<int:shop_id>/meetings/", include("kefu.meetings.urls")),
    path("s/<int:shop_id>/performance/", include("kefu.performance.urls")),
    path("s/<int:shop_id>/payroll/", include("kefu.payroll.urls")),
    path("s/<int:shop_id>/orders/", include("kefu.orders.urls")),
    path("s/<int:shop_id>/aftersales/", include("kefu.aftersales.urls")),
    path("s/<int:shop_id>/chats/", include("kefu.conversations.urls")),
    path("s/<int:shop_id>/kpi/", include("kefu.conversations.kpi_urls")),
    path("s/<int:shop_id>/buyers/", include("kefu.buyers.urls")),
    path("s/<int:shop_id>/quality/", include("kefu.quality.urls")),
    path("s/<int:shop_id>/reviews/", include("kefu.reviews.urls")),
    path("s/<int:shop_id>/complaints/", include("kefu.complaints.urls")),
    path("s/<int:shop_id>/weekly/", include("kefu.weekly.urls")),
    path("s/<int:shop_id>/attendance/", include("kefu.attendance.urls")),
    path("s/<int:shop_id>/worklog/", include("kefu.worklog.urls")),
    path("s/<int:shop_id>/rota/", include("kefu.rota.urls")),
    path("", include("kefu.web.urls")),
]
