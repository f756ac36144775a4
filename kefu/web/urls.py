from django.contrib.auth import views as auth_views
from django.urls import path

from kefu.web import views
from kefu.web.forms import LoginForm

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("s/<int:shop_id>/", views.dashboard, name="dashboard"),
    path("s/<int:shop_id>/agents/", views.agent_list, name="agent_list"),
    path("s/<int:shop_id>/agents/<int:agent_id>/", views.agent_detail, name="agent_detail"),
]
