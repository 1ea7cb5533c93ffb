"""The snapshot a legal form is rendered from, and its validation.

A snapshot is plain JSON-serialisable data taken when the form is issued and stored unchanged;
rendering is a pure function of it. The keys are documented in ``docs/legal-forms.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

from motcua.dossiers.legalforms.formatting import parse_moment

#: Layout version stored with each snapshot, so a later re-render uses the same layout.
TEMPLATE_VERSION = "TT03-2025.2"

#: Layout version → template directory (under the dossiers app's templates). Older versions
#: stay so that forms issued with them render as they were issued.
TEMPLATE_DIRS: dict[str, str] = {
    "TT03-2025.1": "dossiers/legalforms/tt03-2025.1",
    TEMPLATE_VERSION: "dossiers/legalforms/tt03-2025.2",
}

#: Appendix I of Circular 03/2025/TT-VPCP: form number → title.
FORM_TITLES: dict[str, str] = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "07": "Sổ theo dõi hồ sơ",
}

#: Submission channel (``dossier.channel``) → printed wording.
CHANNEL_LABELS: dict[str, str] = {
    "direct": "Trực tiếp tại Bộ phận Một cửa",
    "post": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến",
    "kiosk": "Qua ki-ốt thông minh",
}

#: Where the applicant collects the result (``dossier.result_delivery``) → printed wording.
RESULT_DELIVERY_LABELS: dict[str, str] = {
    "desk": "Bộ phận Một cửa",
    "post": "Qua dịch vụ bưu chính công ích",
    "online": "Cổng Dịch vụ công (kết quả điện tử)",
}

#: Allowed values of a control-slip step's ``result`` (empty while the step is open).
STEP_RESULTS: tuple[str, ...] = ("Trước hạn", "Đúng hạn", "Quá hạn")


class Agency(TypedDict):
    name: str
    code: str
    parent_name: NotRequired[str]
    desk: NotRequired[str]  # default "Bộ phận Một cửa"
    phone: NotRequired[str]
    governing: NotRequired[str]  # printed above the issuer (2025.2)
    issuer: NotRequired[str]  # the issuing unit, bold (2025.2; default ``name``)


class Applicant(TypedDict):
    name: str
    address: str
    id_number: NotRequired[str]
    phone: NotRequired[str]
    email: NotRequired[str]


class Document(TypedDict):
    name: str
    originals: NotRequired[int]
    copies: NotRequired[int]
    note: NotRequired[str]
    present_only: NotRequired[bool]  # shown for comparison, not submitted


class LogEntry(TypedDict):
    book: str
    entry: str


class Dossier(TypedDict):
    code: str
    procedure_code: NotRequired[str]
    procedure_name: str
    received_at: str
    due_at: str
    channel: str
    applicant: Applicant
    documents: list[Document]
    sets: NotRequired[int]
    legal_duration: NotRequired[str]
    result_delivery: NotRequired[str]
    handling_agency: NotRequired[str]
    coordinating_agencies: NotRequired[list[str]]
    log: NotRequired[LogEntry]


class Person(TypedDict):
    name: str
    title: NotRequired[str]
    phone: NotRequired[str]


class MissingItem(TypedDict):
    name: str
    instruction: NotRequired[str]


class Step(TypedDict):
    from_name: NotRequired[str]
    from_unit: str
    to_name: NotRequired[str]
    to_unit: str
    handed_at: str
    due_at: NotRequired[str]
    done_at: NotRequired[str]
    result: NotRequired[str]
    note: NotRequired[str]


class Period(TypedDict):
    start: str
    end: str


class LogRow(TypedDict):
    code: str
    procedure_name: str
    applicant_name: str
    received_at: str
    due_at: str
    no: NotRequired[int]
    address: NotRequired[str]
    phone: NotRequired[str]
    sets: NotRequired[int]
    handling_agency: NotRequired[str]
    forwarded_at: NotRequired[str]
    result_at: NotRequired[str]
    returned_at: NotRequired[str]
    note: NotRequired[str]


class Snapshot(TypedDict):
    form: str
    template_version: str
    place: str
    issued_at: str
    agency: Agency
    number: NotRequired[str]
    dossier: NotRequired[Dossier]
    officer: NotRequired[Person]
    signer: NotRequired[Person]
    copies_to: NotRequired[list[str]]
    missing: NotRequired[list[MissingItem]]
    note: NotRequired[str]
    reasons: NotRequired[list[str]]
    reason: NotRequired[str]
    old_due_at: NotRequired[str]
    new_due_at: NotRequired[str]
    legal_basis: NotRequired[str]
    steps: NotRequired[list[Step]]
    period: NotRequired[Period]
    book: NotRequired[str]
    rows: NotRequired[list[LogRow]]
    wording: NotRequired[dict[str, str]]  # the fixed sentences issued with (legalforms.wording)
    wording_versions: NotRequired[dict[str, int]]


_COMMON = ("template_version", "place", "issued_at", "agency.name", "agency.code")
_REQUIRED: dict[str, tuple[str, ...]] = {
    "01": (
        "number",
        "dossier.code",
        "dossier.procedure_name",
        "dossier.received_at",
        "dossier.due_at",
        "dossier.channel",
        "dossier.applicant.name",
        "dossier.applicant.address",
        "dossier.documents",
        "officer.name",
    ),
    "02": ("number", "dossier.procedure_name", "dossier.applicant.name", "missing", "officer.name"),
    "03": ("number", "dossier.procedure_name", "dossier.applicant.name", "reasons", "officer.name"),
    "04": (
        "number",
        "dossier.code",
        "dossier.procedure_name",
        "dossier.received_at",
        "dossier.applicant.name",
        "reason",
        "old_due_at",
        "new_due_at",
    ),
    "05": (
        "number",
        "dossier.code",
        "dossier.procedure_name",
        "dossier.received_at",
        "dossier.applicant.name",
        "reason",
        "legal_basis",
    ),
    "06": (
        "dossier.code",
        "dossier.procedure_name",
        "dossier.received_at",
        "dossier.due_at",
        "dossier.applicant.name",
        "steps",
    ),
    "07": ("period.start", "period.end", "rows"),
}
# list key → (required keys of each item (None: items are strings), may the list be empty?)
_LISTS: dict[str, tuple[tuple[str, ...] | None, bool]] = {
    "dossier.documents": (("name",), False),
    "missing": (("name",), False),
    "reasons": (None, False),
    "steps": (("from_unit", "to_unit", "handed_at"), False),
    "rows": (("code", "procedure_name", "applicant_name", "received_at", "due_at"), True),
}
_MOMENTS = (
    "issued_at",
    "dossier.received_at",
    "dossier.due_at",
    "old_due_at",
    "new_due_at",
    "period.start",
    "period.end",
)
_ITEM_MOMENTS: dict[str, tuple[str, ...]] = {
    "steps": ("handed_at", "due_at", "done_at"),
    "rows": ("received_at", "due_at", "forwarded_at", "result_at", "returned_at"),
}
_MISSING = object()


def lookup(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` ("dossier.applicant.name"), or a private sentinel."""
    for part in path.split("."):
        if not isinstance(data, Mapping) or part not in data:
            return _MISSING
        data = data[part]
    return data


def _blank(value: Any) -> bool:
    return value is _MISSING or value is None or (isinstance(value, str) and not value.strip())


def validate_snapshot(snapshot: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` naming every missing or malformed key; return None when usable."""
    if not isinstance(snapshot, Mapping):
        raise ValueError("A legal-form snapshot must be a mapping (dict).")
    form = snapshot.get("form")
    if form not in FORM_TITLES:
        raise ValueError(f"Snapshot key 'form' must be one of {sorted(FORM_TITLES)}, got {form!r}.")
    errors: list[str] = []
    for path in (*_COMMON, *_REQUIRED[form]):
        if _blank(lookup(snapshot, path)):
            errors.append(f"missing required key '{path}'")
    version = snapshot.get("template_version")
    if not _blank(version) and version not in TEMPLATE_DIRS:
        errors.append(f"unsupported template_version {version!r} (known: {sorted(TEMPLATE_DIRS)})")
    errors += _check_lists(snapshot, _REQUIRED[form])
    errors += _check_moments(snapshot)
    errors += _check_values(snapshot)
    if errors:
        raise ValueError(f"Invalid snapshot for form {form}: " + "; ".join(errors) + ".")


def _check_lists(snapshot: Mapping[str, Any], required: tuple[str, ...]) -> list[str]:
    errors = []
    for path, (item_keys, may_be_empty) in _LISTS.items():
        value = lookup(snapshot, path)
        if value is _MISSING or value is None:
            continue  # reported above when required
        if not isinstance(value, list):
            errors.append(f"'{path}' must be a list")
            continue
        if not value and path in required and not may_be_empty:
            errors.append(f"'{path}' must not be empty")
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if item_keys is None:
                if _blank(item) or not isinstance(item, str):
                    errors.append(f"'{where}' must be a non-empty string")
                continue
            if not isinstance(item, Mapping):
                errors.append(f"'{where}' must be a mapping")
                continue
            errors += [
                f"missing required key '{where}.{key}'"
                for key in item_keys
                if _blank(item.get(key))
            ]
    return errors


def _moment_error(path: str, value: Any) -> str | None:
    if _blank(value):
        return None
    try:
        parse_moment(value)
    except (TypeError, ValueError):
        return f"'{path}' must be an ISO date or datetime, got {value!r}"
    return None


def _check_moments(snapshot: Mapping[str, Any]) -> list[str]:
    errors = [_moment_error(path, lookup(snapshot, path)) for path in _MOMENTS]
    for list_key, keys in _ITEM_MOMENTS.items():
        items = snapshot.get(list_key)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                errors += [_moment_error(f"{list_key}[{index}].{k}", item.get(k)) for k in keys]
    return [error for error in errors if error]


def _check_values(snapshot: Mapping[str, Any]) -> list[str]:
    errors = []
    channel = lookup(snapshot, "dossier.channel")
    if not _blank(channel) and channel not in CHANNEL_LABELS:
        errors.append(f"'dossier.channel' must be one of {sorted(CHANNEL_LABELS)}, got {channel!r}")
    delivery = lookup(snapshot, "dossier.result_delivery")
    if not _blank(delivery) and delivery not in RESULT_DELIVERY_LABELS:
        errors.append(
            f"'dossier.result_delivery' must be one of {sorted(RESULT_DELIVERY_LABELS)}, "
            f"got {delivery!r}"
        )
    documents = lookup(snapshot, "dossier.documents")
    for index, doc in enumerate(documents if isinstance(documents, list) else []):
        for key in ("originals", "copies"):
            count = doc.get(key, 0) if isinstance(doc, Mapping) else 0
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                errors.append(f"'dossier.documents[{index}].{key}' must be a whole number ≥ 0")
    steps = snapshot.get("steps")
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        result = step.get("result") if isinstance(step, Mapping) else None
        if not _blank(result) and result not in STEP_RESULTS:
            errors.append(f"'steps[{index}].result' must be one of {list(STEP_RESULTS)}")
    texts = snapshot.get("wording")
    if texts is not None and not (
        isinstance(texts, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in texts.items())
    ):
        errors.append("'wording' must map text keys to strings")
    return errors + _check_extension(snapshot)


def _check_extension(snapshot: Mapping[str, Any]) -> list[str]:
    """Form 04 moves the return date later, never earlier."""
    if snapshot.get("form") != "04" or _check_moments(snapshot):
        return []
    old, new = snapshot.get("old_due_at"), snapshot.get("new_due_at")
    if _blank(old) or _blank(new):
        return []  # reported as missing
    if parse_moment(new).value <= parse_moment(old).value:
        return ["'new_due_at' must be later than 'old_due_at'"]
    return []
