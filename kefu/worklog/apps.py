from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklogConfig(AppConfig):
    name = "kefu.worklog"
    label = "worklog"
    verbose_name = _("交接与总结")
    default_auto_field = "django.db.models.BigAutoField"
