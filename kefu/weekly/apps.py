from django.apps import AppConfig


class WeeklyConfig(AppConfig):
    name = "kefu.weekly"
    label = "weekly"
    verbose_name = "Weekly meeting report"
