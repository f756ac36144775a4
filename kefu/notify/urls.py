from django.urls import path

from kefu.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("read/", views.notice_read, name="read"),
]
