from django.urls import path

from kefu.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("import/", views.review_import, name="import"),
    path("export/", views.review_export, name="export"),
    path("<int:review_id>/", views.review_detail, name="detail"),
    path("<int:review_id>/contact/", views.review_contact, name="contact"),
    path("<int:review_id>/progress/", views.review_progress, name="progress"),
    path("<int:review_id>/severity/", views.review_severity, name="severity"),
    path("<int:review_id>/fault/", views.review_fault, name="fault"),
]
