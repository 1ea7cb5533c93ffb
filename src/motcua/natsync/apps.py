from django.apps import AppConfig


class NatsyncConfig(AppConfig):
    name = "motcua.natsync"
    verbose_name = "Đồng bộ Cổng DVCQG"
    default_auto_field = "django.db.models.BigAutoField"
