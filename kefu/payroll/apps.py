from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "kefu.payroll"
    label = "payroll"
    verbose_name = "Payroll"
