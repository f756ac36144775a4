from django.urls import path

from kefu.conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("import/", views.chat_import, name="import"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:account_id>/bind/", views.account_bind, name="account_bind"),
    path("<int:conversation_id>/", views.conversation_detail, name="detail"),
]
