from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "kefu.reviews"
    label = "reviews"
    verbose_name = "Review follow-ups"
