from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "motcua.history"
    label = "history"
    verbose_name = "Nhập dữ liệu lịch sử"
    demo = "motcua.history.demo"  # the demo's ratings, through the bulk path (core.demo)
    demo_after = ("dossiers",)
