from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "kefu.meetings"
    label = "meetings"
    verbose_name = "Meetings, duty rota and incidents"
