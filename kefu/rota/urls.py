from django.urls import path

from kefu.rota import views

app_name = "rota"

urlpatterns = [
    path("", views.month_view, name="month"),
    path("generate/", views.generate, name="generate"),
    path("mine/", views.mine, name="mine"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:request_id>/decide/", views.request_decide, name="request_decide"),
    path("<int:roster_id>/status/", views.status, name="status"),
    path("<int:roster_id>/cell/", views.cell, name="cell"),
    path("<int:roster_id>/publish/", views.publish, name="publish"),
    path("<int:roster_id>/export.xlsx", views.export, name="export"),
]
