from django.urls import path

from kefu.orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("import/", views.order_import, name="import"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("<int:order_id>/", views.order_detail, name="detail"),
]
