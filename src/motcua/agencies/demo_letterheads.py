"""Demo letterhead data for Cần Thơ: places, phones and signers of the demo's units.

Names and phone numbers are fictional (marked as demo data); places follow Decree 30/2020 (the
administrative unit where the agency sits). Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from motcua.agencies.models import Agency, AgencySigner

# code → (place name, phone, [(role, position, name), …])
DEMO_LETTERHEADS: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "000.00.00.H13": ("Cần Thơ", "0292 3820 001", [("head", "Chủ tịch", "Trần Văn Minh")]),
    "000.00.21.H13": (
        "Ninh Kiều",
        "0292 3820 021",
        [("head", "Chủ tịch", "Lê Văn Khánh"), ("deputy", "Phó Chủ tịch", "Phạm Thị Lan")],
    ),
    "000.01.21.H13": (
        "Cái Khế",
        "0292 3820 115",
        [("head", "Chủ tịch", "Võ Văn Thành"), ("deputy", "Phó Chủ tịch", "Lê Thị Mỹ Duyên")],
    ),
}


def load_demo_letterheads() -> int:
    """Fill empty places and phones and add missing signers; returns the signers created."""
    created = 0
    with transaction.atomic():
        for code, (place, phone, signers) in DEMO_LETTERHEADS.items():
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                continue
            changed = []
            if not agency.place_name:
                agency.place_name, changed = place, [*changed, "place_name"]
            if not agency.phone:
                agency.phone, changed = phone, [*changed, "phone"]
            if changed:
                Agency.objects.filter(pk=agency.pk).update(
                    **{f: getattr(agency, f) for f in changed}
                )
            for order, (role, position, name) in enumerate(signers, start=1):
                _, new = AgencySigner.objects.get_or_create(
                    agency=agency,
                    name=name,
                    defaults={"role": role, "position": position, "order": order},
                )
                created += new
    return created
