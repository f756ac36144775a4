from django.urls import path

from kefu.performance import evaluation_views, views

app_name = "performance"

urlpatterns = [
    path("", views.month_page, name="month"),
    path("close/", views.close, name="close"),
    path("recommendations/decide/", views.recommendation_decide, name="recommendation_decide"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/add/", views.incident_add, name="incident_add"),
    path("whatif/", views.whatif, name="whatif"),
    path("evaluation/", evaluation_views.evaluation, name="evaluation"),
    path("evaluation/scores/", evaluation_views.scores_save, name="scores_save"),
    path("evaluation/warnings/", evaluation_views.warning_add, name="warning_add"),
]
