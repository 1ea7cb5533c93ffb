from django.apps import AppConfig
from django.core import checks


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = "Thanh toán trực tuyến"

    def ready(self) -> None:
        from motcua.payments.providers import PROVIDERS
        from motcua.payments.vnpay import VnpayProvider

        PROVIDERS.setdefault(VnpayProvider.name, VnpayProvider)  # the real-protocol gateway
        checks.register(check_provider)


def check_provider(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A typo in PAYMENT_PROVIDER must not silently turn payments off; the sandbox outside
    DEBUG is the demo's choice, flagged by ``check --deploy``."""
    from django.conf import settings

    from motcua.payments.providers import PROVIDERS

    name = (getattr(settings, "MOTCUA_PAYMENT_PROVIDER", "") or "").strip().lower()
    if name and name not in {"none", "off", *PROVIDERS}:
        return [
            checks.Error(
                f"PAYMENT_PROVIDER={name!r} is not a known provider ({', '.join(PROVIDERS)}).",
                id="motcua.payments.E001",
            )
        ]
    if name == "vnpay" and not (
        getattr(settings, "VNPAY_TMN_CODE", "") and getattr(settings, "VNPAY_HASH_SECRET", "")
    ):
        return [
            checks.Error(
                "PAYMENT_PROVIDER=vnpay needs VNPAY_TMN_CODE and VNPAY_HASH_SECRET.",
                id="motcua.payments.E002",
            )
        ]
    if name == "sandbox" and not settings.DEBUG and kwargs.get("include_deployment_checks"):
        return [
            checks.Warning(
                "PAYMENT_PROVIDER=sandbox: citizens 'pay' a stand-in gateway (demo only).",
                id="motcua.payments.W001",
            )
        ]
    return []
