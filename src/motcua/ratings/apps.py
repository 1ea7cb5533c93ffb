from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    label = "ratings"
    verbose_name = "Đánh giá sự hài lòng"

    def ready(self) -> None:
        from motcua.core import figures
        from motcua.ratings import figures as provider

        figures.register("ratings", provider.provide)  # the bulletin's ratings.* figures
