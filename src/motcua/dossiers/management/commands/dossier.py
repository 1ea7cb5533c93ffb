"""``motcua dossier ACTION ...``: drive dossiers from the shell through the services.

Every write acts ``--as USERNAME`` and goes through ``motcua.dossiers.services``, which check
that user's permissions; ``--at ISO`` sets the services' ``now`` for demos. Dossier errors print
their Vietnamese message on stderr and exit with code 2; anything unexpected exits with 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import Q

from motcua.core.management.base import OneShotCommand
from motcua.dossiers import services as S
from motcua.dossiers.errors import DossierError, InvalidInput
from motcua.dossiers.legalforms import render_html, render_pdf
from motcua.dossiers.management import display, lookups, parser
from motcua.dossiers.models import Dossier, IssuedForm
from motcua.dossiers.queries import visible_dossiers
from motcua.dossiers.rules import State

ERROR_EXIT = 2

Options = dict[str, Any]


def _docs(names: list[str]) -> list[S.DocumentInput]:
    return [S.DocumentInput(name=n) for n in names]


# One function per write on an existing dossier: (dossier id, user, now, options) → Dossier.
ACTIONS: dict[str, Callable[..., Dossier]] = {
    "receive": lambda pk, o, **kw: S.receive(pk, documents=_docs(o["document"]), **kw),
    "request-completion": lambda pk, o, **kw: S.request_completion(
        pk, missing=[S.MissingItem(m) for m in o["missing"]], note=o["note"], **kw
    ),
    "complete": lambda pk, o, **kw: S.complete(pk, documents=_docs(o["document"]), **kw),
    "refuse-reception": lambda pk, o, **kw: S.refuse_reception(pk, reasons=o["reason"], **kw),
    "hand-over": lambda pk, o, **kw: S.hand_over(pk, note=o["note"], **kw),
    "forward": lambda pk, o, **kw: S.forward(
        pk, to_agency=lookups.agency(o["to"]), note=o["note"], **kw
    ),
    "request-supplement": lambda pk, o, **kw: S.request_supplement(
        pk, missing=[S.MissingItem(m) for m in o["missing"]], note=o["note"], **kw
    ),
    "supplement": lambda pk, o, **kw: S.supplement(pk, documents=_docs(o["document"]), **kw),
    "apologise": lambda pk, o, **kw: S.apologise(
        pk,
        reason=o["reason"],
        new_due_at=lookups.moment(o["new_due"], what="ngày hẹn mới"),
        signer=o["signer"],
        **kw,
    ),
    "stop": lambda pk, o, **kw: S.stop(
        pk, reason=o["reason"], legal_basis=o["legal_basis"], signer=o["signer"], **kw
    ),
    "withdraw": lambda pk, o, **kw: S.withdraw(pk, reason=o["reason"], **kw),
    "approve": lambda pk, o, **kw: S.approve(
        pk, result_documents=o["result"], electronic=o["electronic"], note=o["note"], **kw
    ),
    "refuse": lambda pk, o, **kw: S.refuse(pk, reasons=o["reason"], **kw),
    "request-payment": lambda pk, o, **kw: S.request_payment(
        pk, fees=[lookups.fee(f) for f in o["fee"]], **kw
    ),
    "confirm-payment": lambda pk, o, **kw: S.confirm_payment(
        pk, channel=o["channel"], gateway=o["gateway"], transaction_ref=o["ref"], **kw
    ),
    "return": lambda pk, o, **kw: S.return_result(pk, delivery=o["delivery"], **kw),
}


class Command(OneShotCommand):
    help = "Xử lý hồ sơ từ dòng lệnh: nộp, tiếp nhận, chuyển, phê duyệt, trả kết quả, xem, in."

    def add_arguments(self, parser_: CommandParser) -> None:
        parser.build(parser_)

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except DossierError as exc:
            self.stderr.write(exc.message)
            for field, problem in exc.fields.items():
                if " " in problem and problem not in exc.message:  # a message, not a code
                    self.stderr.write(f"  {field}: {problem}")
            if getattr(self, "_called_from_command_line", False):
                sys.exit(ERROR_EXIT)  # the message is already on stderr, without a prefix
            raise CommandError(exc.message, returncode=ERROR_EXIT) from exc

    def handle(self, *args: Any, **o: Any) -> None:
        action = o["action"]
        if action in ACTIONS:
            d = lookups.dossier(o["code"])
            kw = self._actor(o) | {"expected_version": o["expect_version"]}
            self._done(ACTIONS[action](d.pk, o, **kw))
        elif action == "submit":
            self._submit(o)
        elif action == "log":
            self._log(o)
        elif action == "show":
            self.stdout.write("\n".join(display.details(self._one(o))))
        elif action == "list":
            self._list(o)
        else:
            self._form(o)

    # -- writes ---------------------------------------------------------------------------

    def _actor(self, o: Options) -> dict[str, Any]:
        return {
            "by": lookups.user(o["as_user"]),
            "now": lookups.moment(o["at"]) if o.get("at") else None,
        }

    def _done(self, d: Dossier) -> None:
        self.stdout.write(display.summary(d))

    def _submit(self, o: Options) -> None:
        applicant = S.ApplicantData(
            name=o["name"],
            kind=o["kind"],
            id_number=o["id_number"],
            tax_code=o["tax_code"],
            phone=o["phone"],
            email=o["email"],
            address=o["address"],
        )
        deciding = o.get("deciding_agency")
        fields = dict(
            procedure=lookups.procedure(o["procedure"]),
            receiving_agency=lookups.agency(o["agency"]),
            deciding_agency=lookups.agency(deciding) if deciding else None,
            applicant=applicant,
            documents=_docs(o["document"]),
            channel=o["channel"],
            **self._actor(o),
        )
        if o.get("receive"):
            if o.get("idempotency_key"):
                raise CommandError("--idempotency-key is for online submissions, not --receive")
            self._done(S.receive_at_desk(**fields))
        else:
            self._done(S.submit(idempotency_key=o.get("idempotency_key"), **fields))

    def _log(self, o: Options) -> None:
        form = S.issue_dossier_log(
            lookups.agency(o["agency"]),
            start=lookups.day(o["start"]),
            end=lookups.day(o["end"]),
            **self._actor(o),
        )
        rows = len(form.snapshot.get("rows", []))
        self.stdout.write(f"Mẫu 07 số {form.number}: {rows} hồ sơ")
        self._write_form(form, o)

    # -- reads ----------------------------------------------------------------------------

    def _readable(self, o: Options):
        qs = Dossier.objects.select_related(
            "procedure", "receiving_agency", "deciding_agency", "current_agency"
        )
        if o.get("as_user"):
            qs = qs & visible_dossiers(lookups.user(o["as_user"]))
        return qs

    def _one(self, o: Options) -> Dossier:
        d = self._readable(o).filter(pk=lookups.dossier(o["code"]).pk).first()
        if d is None:  # exists, but outside the --as user's scope
            raise InvalidInput(f"Không tìm thấy hồ sơ {o['code']}.", fields={"dossier": "scope"})
        return d

    def _list(self, o: Options) -> None:
        qs = self._readable(o)
        if o.get("agency"):
            a = lookups.agency(o["agency"])
            qs = qs.filter(Q(receiving_agency=a) | Q(deciding_agency=a) | Q(current_agency=a))
        if o.get("state"):
            if o["state"] not in State.__members__.values():
                raise InvalidInput(
                    f"Trạng thái không hợp lệ: {o['state']!r} (một trong: {', '.join(State)}).",
                    fields={"state": "invalid"},
                )
            qs = qs.filter(state=o["state"])
        rows = list(qs.order_by("-submitted_at", "-pk")[: max(o["limit"], 0)])
        for d in rows:
            self.stdout.write(display.list_line(d))
        self.stderr.write(f"{len(rows)} hồ sơ")

    def _form(self, o: Options) -> None:
        d = self._one(o)
        number = o["form"].zfill(2)
        if o["issue"]:
            if number != "06" or not o.get("as_user"):
                raise InvalidInput("Chỉ lập mới được Mẫu 06, và cần --as USERNAME.")
            form = S.issue_control_slip(d.pk, **self._actor(o))
        else:
            form = IssuedForm.objects.filter(dossier=d, form=number).order_by("-issued_at").first()
        if form is None:
            raise InvalidInput(
                f"Hồ sơ {d.code} chưa có Mẫu {number}.", fields={"form": "not_issued"}
            )
        self.stdout.write(f"Mẫu {form.form} số {form.number}, lập {display.when(form.issued_at)}")
        if not (o.get("pdf") or o.get("html")):
            self.stdout.write(render_html(form.snapshot))
        self._write_form(form, o)

    def _write_form(self, form: IssuedForm, o: Options) -> None:
        if o.get("pdf"):
            Path(o["pdf"]).write_bytes(render_pdf(form.snapshot))
            self.stderr.write(f"Đã ghi {o['pdf']}")
        if o.get("html"):
            Path(o["html"]).write_text(render_html(form.snapshot), encoding="utf-8")
            self.stderr.write(f"Đã ghi {o['html']}")
