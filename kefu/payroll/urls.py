from django.urls import path

from kefu.payroll import views

app_name = "payroll"

urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.run_create, name="run_create"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/lock/", views.run_lock, name="run_lock"),
    path("runs/<int:run_id>/export/", views.run_export, name="run_export"),
    path("payslips/<int:payslip_id>/", views.payslip_detail, name="payslip"),
    path("fund/", views.fund, name="fund"),
    path("fund/spend/", views.fund_spend, name="fund_spend"),
    path("whatif/", views.whatif, name="whatif"),
]
