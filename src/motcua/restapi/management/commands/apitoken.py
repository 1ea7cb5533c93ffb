"""``motcua apitoken create|list|revoke`` — API tokens for systems."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.core.management.base import OneShotCommand
from motcua.dossiers.errors import DossierError
from motcua.restapi.models import ApiToken
from motcua.restapi.tokens import create_token, revoke_token


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else "-"


class Command(OneShotCommand):
    help = "Create, list or revoke API tokens (the secret is printed once, at creation)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token; prints the secret once")
        create.add_argument("--name", required=True)
        create.add_argument("--agency", required=True, help="agency code, e.g. 000.00.00.H13")
        create.add_argument(
            "--permission",
            action="append",
            dest="permissions",
            required=True,
            help='scope, repeatable: "dossiers:read", "dossiers:write", "tasks:*", …',
        )
        create.add_argument(
            "--role",
            action="append",
            dest="roles",
            help="role of the token's service account in the agency (repeatable; "
            "default desk_officer)",
        )
        lst = sub.add_parser("list", help="list tokens with their last use")
        lst.add_argument("--agency", help="only this agency's tokens")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **opts) -> None:
        getattr(self, f"_{action}")(**opts)

    def _create(self, *, name, agency, permissions, roles, **_) -> None:
        agency_obj = Agency.objects.filter(code=agency).first()
        if agency_obj is None:
            raise CommandError(f"Không tìm thấy cơ quan {agency}.")
        try:
            issued = create_token(
                name=name,
                agency=agency_obj,
                permissions=permissions,
                roles=roles or ["desk_officer"],
            )
        except DossierError as exc:
            details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {details}") from exc
        self.stderr.write(
            f"Đã tạo khóa {issued.token.prefix}; lưu lại ngay, khóa chỉ hiện một lần:"
        )
        self.stdout.write(issued.secret)

    def _list(self, *, agency=None, **_) -> None:
        tokens = ApiToken.objects.select_related("agency").order_by("agency__code", "created_at")
        if agency:
            tokens = tokens.filter(agency__code=agency)
        self.stdout.write("prefix\tagency\tname\tpermissions\tcreated\tlast_used\trevoked")
        for t in tokens:
            self.stdout.write(
                "\t".join(
                    [
                        t.prefix,
                        t.agency.code,
                        t.name,
                        ",".join(t.permissions),
                        _when(t.created_at),
                        _when(t.last_used_at),
                        _when(t.revoked_at),
                    ]
                )
            )

    def _revoke(self, *, prefix, **_) -> None:
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"Không có khóa với tiền tố {prefix}.")
        revoke_token(token)
        self.stdout.write(f"Đã thu hồi khóa {prefix}.")
