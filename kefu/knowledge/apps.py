from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "kefu.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge and training"
