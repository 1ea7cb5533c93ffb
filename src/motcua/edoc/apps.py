from django.apps import AppConfig


class EdocConfig(AppConfig):
    name = "motcua.edoc"
    label = "edoc"
    verbose_name = "Văn bản điện tử liên thông"
    demo = "motcua.edoc.demo"  # fills the demo agencies' edXML organ ids
    demo_after = ("agencies",)

    def ready(self) -> None:
        from motcua.core import figures
        from motcua.dossiers.signals import dossier_forwarded
        from motcua.edoc import figures as edoc_figures
        from motcua.edoc import forwarding

        figures.register("edoc", edoc_figures.provide)
        dossier_forwarded.connect(forwarding.on_forward, dispatch_uid="edoc.forward")
