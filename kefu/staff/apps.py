from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "kefu.staff"
    label = "staff"
    verbose_name = "Staff"
