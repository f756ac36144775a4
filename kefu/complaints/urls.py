from django.urls import path

from kefu.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_new, name="new"),
    path("<int:complaint_id>/", views.complaint_detail, name="detail"),
    path("<int:complaint_id>/step/", views.complaint_step, name="step"),
    path("<int:complaint_id>/confirm/", views.complaint_confirm, name="confirm"),
    path("<int:complaint_id>/visit/", views.complaint_visit, name="visit"),
]
