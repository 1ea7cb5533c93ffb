from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    label = "ratings"
    verbose_name = "Đánh giá sự hài lòng"
