from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "motcua.stats"
    label = "stats"
    verbose_name = "Thống kê, chỉ số"

    def ready(self) -> None:
        from motcua.core import figures
        from motcua.stats import figures as provider

        figures.register("stats", provider.provide)  # the bulletin's stats.* figures
