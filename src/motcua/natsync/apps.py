from django.apps import AppConfig
from django.core import checks


class NatsyncConfig(AppConfig):
    name = "motcua.natsync"
    verbose_name = "Đồng bộ Cổng DVCQG"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        checks.register(check_profile)


def check_profile(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A broken mapping profile file must stop the deployment, not every sync attempt."""
    from django.conf import settings

    from motcua.natsync.mapping import ProfileError, load_profile

    path = getattr(settings, "NATSYNC_PROFILE_FILE", "")
    if not path:
        return []
    try:
        load_profile(settings.NATSYNC_PROFILE, path)
    except ProfileError as exc:
        return [checks.Error(str(exc), id="motcua.natsync.E001")]
    return []
