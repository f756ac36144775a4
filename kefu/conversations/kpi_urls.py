"""The KPI screens, under /s/<shop>/kpi/ (their own prefix, so the navigation marks them apart
from the chat records)."""

from django.urls import path

from kefu.conversations import kpi_views

app_name = "kpi"

urlpatterns = [
    path("", kpi_views.kpi_dashboard, name="dashboard"),
    path("agents/<int:agent_id>/", kpi_views.kpi_agent, name="agent"),
    path("waiting/", kpi_views.waiting_board, name="waiting"),
]
