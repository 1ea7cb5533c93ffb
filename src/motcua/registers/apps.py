from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "motcua.registers"
    label = "registers"
    verbose_name = "Sổ theo dõi cải cách hành chính"
    demo = "motcua.registers.demo"  # bulletin-2021 records (load_bulletin_2021), a few in load
    demo_after = ("agencies", "accounts", "reform")  # the reform office's officer files them

    def ready(self) -> None:
        from motcua.core import figures
        from motcua.registers.figures import provide

        figures.register("registers", provide)
