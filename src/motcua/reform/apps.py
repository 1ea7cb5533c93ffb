from django.apps import AppConfig


class ReformConfig(AppConfig):
    name = "motcua.reform"
    label = "reform"
    verbose_name = "Cải cách hành chính"
    demo = "motcua.reform.demo"  # the 2021 city plan and inspections (core.demo runs it)
    demo_after = ("agencies", "accounts")

    def ready(self) -> None:
        from motcua.core import figures
        from motcua.reform import figures as provider

        figures.register("reform", provider.provide)  # the bulletin's reform.* figures
