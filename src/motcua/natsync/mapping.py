"""Dossier → national portal payloads, through a mapping profile.

The records are built under the canonical (OpenCPS) field names; a profile renames fields,
drops the ones its spec version does not know (mapped to ``None``), adds fixed ones, and
chooses the date format. Built-in profiles: ``opencps`` (``yyyyMMddHHmmss``) and
``dvcqg-2023`` (``dd/MM/yyyy HH:mm:ss`` and the newer vocabulary). ``NATSYNC_PROFILE_FILE``
(JSON) overrides the chosen profile. Dates are local time of Asia/Ho_Chi_Minh, as the portal
reads them. Pure functions over plain data: ``queries.snapshot`` gathers the data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Profile:
    name: str
    date_format: str
    # canonical name → name in this spec version; None drops the field
    fields: dict[str, str | None] = field(default_factory=dict)

    def rename(self, key: str) -> str | None:
        return self.fields.get(key, key)


PROFILES: dict[str, Profile] = {
    "opencps": Profile("opencps", "%Y%m%d%H%M%S"),
    "dvcqg-2023": Profile(
        "dvcqg-2023",
        "%d/%m/%Y %H:%M:%S",
        {
            "MaDoiTuong": "SoDinhDanh",
            "HinhThuc": "HinhThucTra",
            "DanhSachLePhi": "DanhSachPhiLePhi",
            "Fax": None,
        },
    ),
}


class ProfileError(ValueError):
    """The profile file is missing or malformed (checked at start-up by ``motcua check``)."""


def load_profile(name: str, path: str = "") -> Profile:
    base = PROFILES[name]
    if not path:
        return base
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        fields = {**base.fields, **dict(data.get("fields", {}))}
        date_format = str(data.get("date_format", base.date_format))
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ProfileError(f"NATSYNC_PROFILE_FILE {path}: {exc}") from exc
    return Profile(f"{name}+{path}", date_format, fields)


@lru_cache(maxsize=4)
def _cached(name: str, path: str) -> Profile:
    return load_profile(name, path)


def active_profile() -> Profile:
    return _cached(settings.NATSYNC_PROFILE, settings.NATSYNC_PROFILE_FILE)


def fmt_date(value: dt.datetime | dt.date | None, profile: Profile) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(VN_TZ)
    else:
        value = dt.datetime.combine(value, dt.time())
    return value.strftime(profile.date_format)


def parse_date(raw: str, profile: Profile) -> dt.datetime | None:
    if not raw:
        return None
    return dt.datetime.strptime(raw, profile.date_format).replace(tzinfo=VN_TZ)


def apply(record: dict, profile: Profile) -> dict:
    """Rename (recursively, list items too) and format dates with the profile."""
    out: dict = {}
    for key, value in record.items():
        name = profile.rename(key)
        if name is None:
            continue
        if isinstance(value, dt.datetime | dt.date):
            value = fmt_date(value, profile)
        elif value is None:
            value = ""
        elif isinstance(value, list):
            value = [apply(v, profile) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, dict):
            value = apply(value, profile)
        out[name] = value
    return out


# ---- the canonical records, from a snapshot (plain dicts, see queries.snapshot) ----


def dossier_record(s: dict, *, national_status: int) -> dict:
    """``DongBoHoSoMC`` data for one dossier at one event (``national_status``)."""
    organisation = s["applicant_kind"] == "organisation"
    id_number = s["applicant_tax_code"] if organisation else s["applicant_id_number"]
    return {
        "MaHoSo": s["code"],
        "MaTTHC": s["national_procedure_code"],
        "TenTTHC": s["procedure_name"],
        "MaLinhVuc": s["field_id"],
        "TenLinhVuc": s["field_name"],
        "ChuHoSo": s["applicant_name"],
        "LoaiDoiTuong": "2" if organisation else "1",
        "MaDoiTuong": id_number,
        "LoaiDinhDanh": "2" if len(id_number) == 9 else "1",
        "ThongTinKhac": s["applicant_address"],
        "Email": s["applicant_email"],
        "Fax": "",
        "SoDienThoai": s["applicant_phone"],
        "TrichYeuHoSo": s["procedure_name"],
        "NgayTiepNhan": s["received_at"] or s["submitted_at"],
        "NgayHenTra": s["due_at"],
        "TrangThaiHoSo": str(national_status),
        "NgayTra": s["returned_at"],
        "ThongTinTra": s["decision_note"],
        "HinhThuc": s["result_delivery"],
        "KenhThucHien": str(s["national_channel"]),
        "DonViXuLy": s["agency_name"],
        "GhiChu": "",
        "DuocSoHoa": "1" if s["digitised"] else "0",
        "TaiKhoanDuocXacThucVoiVNeID": "1" if s["applicant_vneid"] else "0",
        "DuocThanhToanTrucTuyen": "1" if s["paid_online"] else "0",
        "TaiLieuNop": [
            {
                "TepDinhKemId": str(d["id"]),
                "TenTepDinhKem": d["name"],
                "IsDeleted": "False",
                "MaThanhPhanHoSo": str(d["required_document_id"] or ""),
                "DuongDanTaiTepTin": "",
            }
            for d in s["documents"]
        ],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": f["name"],
                "MaPhiLePhi": str(f["id"]),
                "HinhThucThu": "2" if f["channel"] == "online" else "1",
                "Gia": f["amount_vnd"],
                "LoaiPhiLePhi": "2",
            }
            for f in s["fees"]
        ],
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": [
            {
                "NguoiYeuCauBoSung": s["agency_name"],
                "NoiDungBoSung": p["reason"],
                "NgayBoSung": p["started_at"],
                "NgayTiepNhanBoSung": p["ended_at"],
                "TrangThaiBoSung": "1" if p["ended_at"] else "0",
                "NgayHenTraTruoc": None,
                "NgayHenTraMoi": None,
            }
            for p in s["pauses"]
        ],
        "DanhSachGiayToKetQua": [
            {
                "TenGiayTo": r["name"],
                "MaThanhPhanHoSo": "",
                "GiayToId": str(r["id"]),
                "DuongDanTepTinKetQua": r["url"],
            }
            for r in s["results"]
        ],
    }


def progress_record(s: dict, event: dict) -> dict:
    """``CapNhatTienDoHoSoMC`` item for one event."""
    return {
        "MaHoSo": s["code"],
        "NguoiXuLy": event["actor_name"],
        "ChucDanh": event["actor_role"],
        "PhongBanXuLy": event["agency_name"],
        "ThoiDiemXuLy": event["at"],
        "NoiDungXuLy": event["label"] + (f": {event['reason']}" if event["reason"] else ""),
        "TrangThai": str(event["national_status"]),
        "NgayBatDau": event["at"],
        "NgayKetThucTheoQuyDinh": s["due_at"],
    }


# what reconciliation compares (canonical names): the status and the dates the index reads
COMPARED = ("TrangThaiHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "MaTTHC")


def differences(expected: dict, found: dict | None, profile: Profile) -> list[str]:
    """Fields whose value on the portal differs from ours (profile names); ["MaHoSo"] when
    the portal does not know the dossier."""
    if not found:
        return ["MaHoSo"]
    out = []
    for key in COMPARED:
        name = profile.rename(key)
        if name is None:
            continue
        if str(expected.get(name, "")) != str(found.get(name, "")):
            out.append(name)
    return out
