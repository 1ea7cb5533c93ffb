from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

from motcua.core.management.base import OneShotCommand

COMPRESSED = "whitenoise.storage.CompressedManifestStaticFilesStorage"
MANIFEST_ONLY = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


class Command(OneShotCommand):
    help = (
        "collectstatic cho make run: trước hết chỉ các tệp có mã băm và manifest (đủ để phục vụ, "
        "vài giây); --compress: thêm bản nén gzip/brotli (chạy nền, dùng từ lần khởi động sau)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--compress", action="store_true")

    def handle(self, *args, compress: bool, **options) -> None:
        storages = dict(settings.STORAGES)
        if not compress and storages["staticfiles"]["BACKEND"] == COMPRESSED:
            # compressing Django admin's files takes most of collectstatic's time; whitenoise
            # serves the plain files until the compressed copies exist
            storages["staticfiles"] = {**storages["staticfiles"], "BACKEND": MANIFEST_ONLY}
        with override_settings(STORAGES=storages):
            call_command("collectstatic", interactive=False, verbosity=0)
