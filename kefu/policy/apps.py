from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "kefu.policy"
    label = "policy"
