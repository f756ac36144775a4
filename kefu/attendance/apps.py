from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "kefu.attendance"
    label = "attendance"
    verbose_name = _("考勤")
    default_auto_field = "django.db.models.BigAutoField"
