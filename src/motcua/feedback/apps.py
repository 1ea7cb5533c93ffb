from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị (1022)"
    demo = "motcua.feedback.demo"  # its demo data (core.demo runs it)
    demo_after = ("agencies",)
