from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "motcua.certificates"
    label = "certificates"
    verbose_name = "Chứng thư số"
    demo = "motcua.certificates.demo"  # the 2021 bulletin's certificates (core.demo runs it)
    demo_after = ("agencies", "accounts")

    def ready(self) -> None:
        from motcua.certificates.figures import provide
        from motcua.core import figures

        figures.register("certificates", provide)
