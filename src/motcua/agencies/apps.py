from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "motcua.agencies"
    label = "agencies"
    verbose_name = "Cơ quan, đơn vị"
    demo = "motcua.agencies.demo"  # its demo data (core.demo runs it)
    demo_after = ()
