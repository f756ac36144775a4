from django.urls import path

from kefu.attendance import views

app_name = "attendance"

urlpatterns = [
    path("", views.month, name="month"),
    path("clock/", views.clock, name="clock"),
    path("import/", views.punch_import, name="import"),
    path("facts/", views.facts_record, name="facts"),
]
