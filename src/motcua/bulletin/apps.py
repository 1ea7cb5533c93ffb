from django.apps import AppConfig


class BulletinConfig(AppConfig):
    name = "motcua.bulletin"
    label = "bulletin"
    verbose_name = "Bản tin cải cách hành chính"
