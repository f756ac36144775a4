from django.urls import path

from kefu.weekly import views

app_name = "weekly"

urlpatterns = [
    path("", views.report_page, name="report"),
    path("export.xlsx", views.report_xlsx, name="xlsx"),
    path("export.pdf", views.report_pdf, name="pdf"),
]
