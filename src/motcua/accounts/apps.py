from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
    demo = "motcua.accounts.demo"  # its demo data (core.demo runs it)
    demo_after = ("agencies",)

    def ready(self) -> None:
        from motcua.accounts import roles
        from motcua.accounts.models import Membership

        # the administrator roles' groups and permissions (accounts.roles)
        post_migrate.connect(roles.on_post_migrate, sender=self)
        post_save.connect(roles.on_membership_change, sender=Membership)
        post_delete.connect(roles.on_membership_change, sender=Membership)
