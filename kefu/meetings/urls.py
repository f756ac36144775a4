from django.urls import path

from kefu.meetings import duty_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("generate/", views.meetings_generate, name="generate"),
    path("schedule/", views.meeting_schedule, name="schedule"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("<int:meeting_id>/agenda/", views.meeting_agenda, name="agenda"),
    path("<int:meeting_id>/agenda/add/", views.meeting_agenda_add, name="agenda_add"),
    path("<int:meeting_id>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:meeting_id>/minutes/", views.meeting_minutes, name="minutes"),
    path("<int:meeting_id>/actions/", views.meeting_action_add, name="action_add"),
    path("<int:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path("actions/<int:action_id>/done/", views.action_done, name="action_done"),
    path("duty/", duty_views.duty_month, name="duty"),
    path("duty/generate/", duty_views.duty_generate, name="duty_generate"),
    path("duty/<int:duty_id>/confirm/", duty_views.duty_confirm, name="duty_confirm"),
    path("duty/<int:duty_id>/swap/", duty_views.duty_swap, name="duty_swap"),
    path("duty/<int:duty_id>/finding/", duty_views.duty_finding, name="duty_finding"),
    path("incidents/", duty_views.incident_list, name="incidents"),
    path("incidents/<int:incident_id>/", duty_views.incident_detail, name="incident"),
]
