from django.apps import AppConfig


class RestapiConfig(AppConfig):
    name = "motcua.restapi"
    label = "restapi"
    verbose_name = "API và tích hợp"
