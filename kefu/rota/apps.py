from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "kefu.rota"
    label = "rota"
    verbose_name = "Rosters, leave and swaps"
