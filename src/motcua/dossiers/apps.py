from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ một cửa"
    demo = "motcua.dossiers.demo"  # its demo data (core.demo runs it)
    demo_after = ("catalog", "accounts")

    def ready(self) -> None:
        from motcua.dossiers import mergers  # noqa: F401 - connects the merger receiver
