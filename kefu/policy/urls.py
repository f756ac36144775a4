from django.urls import path

from kefu.policy import views

app_name = "policy"

urlpatterns = [path("", views.policy_page, name="page")]
