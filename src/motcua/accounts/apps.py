from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
    demo = "motcua.accounts.demo"  # its demo data (core.demo runs it)
    demo_after = ("agencies",)
