from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị (1022)"
    demo = "motcua.feedback.demo"  # its demo data (core.demo runs it)
    demo_after = ("agencies",)

    def ready(self) -> None:
        from motcua.core import figures
        from motcua.feedback import figures as provider

        figures.register("feedback", provider.provide)  # the bulletin's feedback.* figures
