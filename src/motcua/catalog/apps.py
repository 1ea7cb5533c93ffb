from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = "Danh mục thủ tục hành chính"
    demo = "motcua.catalog.demo"  # its demo data (core.demo runs it)
    demo_after = ("agencies",)

    def ready(self) -> None:
        from motcua.catalog import figures as provider
        from motcua.core import figures

        figures.register("catalog", provider.provide)  # the bulletin's catalog.* figures
