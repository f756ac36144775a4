from django.urls import path

from kefu.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("hits/<int:hit_id>/decide/", views.decide, name="decide"),
]
