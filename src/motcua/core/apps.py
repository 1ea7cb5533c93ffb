from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from motcua.core import adminfixes

        adminfixes.install()  # admin autocomplete widgets survive invalid values (no 500)
