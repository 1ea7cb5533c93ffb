"""The only code that changes dossiers.

Every public function is one use case and one transaction: lock the row (or check the version
the caller saw), look the action up in the transition table, check the caller's permission,
change the dossier, issue the legal form's snapshot if the row names one, and append the audit
event. PDFs are rendered later from the snapshot, never inside these transactions.

One module per part of the lifecycle (Decree 118/2025/NĐ-CP; forms of Circular
03/2025/TT-VPCP). Callers import the public names from here:

- ``_engine``: the one path every action takes (lock, transition, permission, form, audit);
- ``inputs``: what callers pass in (applicant, documents, missing items);
- ``numbering``: dossier codes and form numbers;
- ``forms``: form snapshots, Form 06 and Form 07;
- ``intake``: submission and registration;
- ``reception``: receive (Form 01), completion (Form 02), refusal at reception (Form 03);
- ``processing``: hand-over, forwarding, supplements, apology (Form 04);
- ``decisions``: approve, refuse, stop (Form 05), withdraw;
- ``payments``: fees and their payment;
- ``results``: returning the result.
"""

from motcua.dossiers.services._engine import calendar_for
from motcua.dossiers.services.decisions import approve, refuse, stop, withdraw
from motcua.dossiers.services.forms import (
    ISSUE_FORM,
    issue_control_slip,
    issue_dossier_log,
    issue_form,
)
from motcua.dossiers.services.inputs import ApplicantData, DocumentInput, MissingItem
from motcua.dossiers.services.intake import submit
from motcua.dossiers.services.numbering import (
    FORM_SUFFIX,
    new_dossier_code,
    new_form_number,
    next_counter,
)
from motcua.dossiers.services.payments import (
    PAY_FEES,
    confirm_payment,
    pay_fees,
    record_fee_payment,
    request_payment,
)
from motcua.dossiers.services.processing import (
    apologise,
    forward,
    hand_over,
    request_supplement,
    supplement,
)
from motcua.dossiers.services.reception import (
    complete,
    receive,
    receive_at_desk,
    refuse_reception,
    request_completion,
)
from motcua.dossiers.services.results import return_result

__all__ = [
    "FORM_SUFFIX",
    "ISSUE_FORM",
    "PAY_FEES",
    "ApplicantData",
    "DocumentInput",
    "MissingItem",
    "apologise",
    "approve",
    "calendar_for",
    "complete",
    "confirm_payment",
    "forward",
    "hand_over",
    "issue_control_slip",
    "issue_dossier_log",
    "issue_form",
    "new_dossier_code",
    "new_form_number",
    "next_counter",
    "pay_fees",
    "receive",
    "receive_at_desk",
    "record_fee_payment",
    "refuse",
    "refuse_reception",
    "request_completion",
    "request_payment",
    "request_supplement",
    "return_result",
    "stop",
    "submit",
    "supplement",
    "withdraw",
]
