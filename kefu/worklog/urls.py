from django.urls import path

from kefu.worklog import views

app_name = "worklog"

urlpatterns = [
    path("", views.handover, name="handover"),
    path("handover/<int:entry_id>/ack/", views.handover_ack, name="handover_ack"),
    path("summaries/", views.summaries, name="summaries"),
    path("summaries/<int:summary_id>/", views.summary_detail, name="summary"),
    path("daily/", views.daily, name="daily"),
    path("facts/", views.facts_record, name="facts"),
]
