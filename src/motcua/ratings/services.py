"""Recording ratings. One rating per dossier; kiosks authenticate with a device token."""

from __future__ import annotations

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.accounts.models import SUBTREE_ROLES, Membership, User
from motcua.accounts.scope import scope_agency_ids
from motcua.agencies.models import Agency
from motcua.core.audit import record_change
from motcua.dossiers.errors import ConflictError, InvalidInput, NotAllowed
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import State
from motcua.ratings.models import KioskDevice, Level, Rating
from motcua.stats import hooks as stats_hooks


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check(level: str, comment: str) -> None:
    if level not in Level.values:
        raise InvalidInput("Vui lòng chọn mức độ hài lòng.", fields={"level": "invalid"})
    if len(comment) > 2000:
        raise InvalidInput("Ý kiến tối đa 2000 ký tự.", fields={"comment": "too_long"})


def rate_dossier(dossier_id: int, *, by: User, level: str, comment: str = "") -> Rating:
    """The applicant rates a dossier whose result was returned (once)."""
    _check(level, comment)
    with transaction.atomic():
        dossier = Dossier.objects.filter(pk=dossier_id, applicant_user_id=by.pk).first()
        if dossier is None:
            raise NotAllowed("Bạn chỉ có thể đánh giá hồ sơ của chính mình.")
        if dossier.state != State.RETURNED:
            raise InvalidInput(
                "Chỉ đánh giá được sau khi đã nhận kết quả.", fields={"dossier": "not_returned"}
            )
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    dossier=dossier,
                    agency_id=dossier.receiving_agency_id,
                    level=level,
                    comment=comment.strip(),
                    channel=Rating.Channel.ONLINE,
                    rated_by=by,
                )
                stats_hooks.touch(dossier.pk)
                return rating
        except IntegrityError:
            raise ConflictError("Hồ sơ này đã được đánh giá.") from None


def register_kiosk(agency: Agency, name: str) -> tuple[KioskDevice, str]:
    """Create a kiosk device; returns it with its token (shown once, stored hashed)."""
    token = secrets.token_urlsafe(32)
    device = KioskDevice.objects.create(agency=agency, name=name, token_hash=_hash(token))
    return device, token


def kiosk_agencies(user: User) -> QuerySet[Agency]:
    """Agencies whose counter tablets ``user`` may register: those they administer (agency or
    province administrator), with their subtrees; every agency for a superuser."""
    if user.is_superuser:
        return Agency.objects.order_by("code")
    ids = scope_agency_ids(user, SUBTREE_ROLES)
    return Agency.objects.filter(pk__in=ids).order_by("code")


def register_kiosk_by(by: User, agency: Agency, name: str) -> tuple[KioskDevice, str]:
    """An agency administrator registers a counter tablet from the desk (``register_kiosk``
    with the permission check and an audit event); the token is returned once."""
    name = name.strip()
    if not name:
        raise InvalidInput("Vui lòng nhập tên thiết bị / quầy.", fields={"name": "required"})
    if len(name) > 100:
        raise InvalidInput("Tên thiết bị tối đa 100 ký tự.", fields={"name": "too_long"})
    if not kiosk_agencies(by).filter(pk=agency.pk).exists():
        raise NotAllowed("Chỉ quản trị cơ quan mới đăng ký được thiết bị đánh giá cho cơ quan này.")
    with transaction.atomic():
        device, token = register_kiosk(agency, name)
        record_change(
            "register_kiosk",
            device,
            f"Đăng ký thiết bị đánh giá “{name}” tại {agency.code}",
            actor=by,
            data={"agency": agency.code, "name": name},
        )
    return device, token


def kiosk_for_token(token: str) -> KioskDevice | None:
    if not token:
        return None
    return (
        KioskDevice.objects.select_related("agency")
        .filter(token_hash=_hash(token), is_active=True)
        .first()
    )


def rate_at_kiosk(
    token: str,
    *,
    level: str,
    officer_id: int | None = None,
    dossier_code: str = "",
    comment: str = "",
) -> Rating:
    """A rating from a counter tablet, against its desk and the officer who served."""
    _check(level, comment)
    device = kiosk_for_token(token)
    if device is None:
        raise NotAllowed("Thiết bị chưa được đăng ký hoặc đã bị khóa.")
    with transaction.atomic():
        if (
            officer_id
            and not Membership.objects.filter(user_id=officer_id, agency=device.agency).exists()
        ):
            raise InvalidInput(
                "Cán bộ không thuộc cơ quan của quầy này.", fields={"officer": "not_in_agency"}
            )
        dossier = None
        if dossier_code:
            dossier = Dossier.objects.filter(
                code=dossier_code, receiving_agency=device.agency
            ).first()
            if dossier is None:
                raise InvalidInput(
                    "Không tìm thấy hồ sơ tại quầy này.", fields={"dossier_code": "not_found"}
                )
        device.last_used_at = timezone.now()
        device.save(update_fields=["last_used_at"])
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    dossier=dossier,
                    agency=device.agency,
                    level=level,
                    comment=comment.strip(),
                    channel=Rating.Channel.KIOSK,
                    device=device,
                    officer_id=officer_id,
                )
                stats_hooks.touch(dossier.pk if dossier else None)
                return rating
        except IntegrityError:
            raise ConflictError("Hồ sơ này đã được đánh giá.") from None
