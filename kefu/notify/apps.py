from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "kefu.notify"
    label = "notify"
