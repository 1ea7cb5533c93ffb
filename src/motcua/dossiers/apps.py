from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ một cửa"

    def ready(self) -> None:
        from motcua.dossiers import mergers  # noqa: F401 - connects the merger receiver
