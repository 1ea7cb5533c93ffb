from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from motcua.core import adminfixes, pagecache

        pagecache.connect_signals()  # catalogue changes invalidate the public page cache
        adminfixes.install()  # admin autocomplete widgets survive invalid values (no 500)
