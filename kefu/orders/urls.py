from django.urls import path

from kefu.orders import contact_views, reminder_views, views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("import/", views.order_import, name="import"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("reminders/", reminder_views.reminder_list, name="reminders"),
    path(
        "reminders/<int:reminder_batch_id>/",
        reminder_views.reminder_batch,
        name="reminder_batch",
    ),
    path(
        "reminders/<int:reminder_batch_id>/assign/",
        reminder_views.reminder_assign,
        name="reminder_assign",
    ),
    path(
        "reminders/items/<int:reminder_id>/mark/",
        reminder_views.reminder_mark,
        name="reminder_mark",
    ),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/reveal/", contact_views.contact_reveal, name="contact_reveal"),
]
