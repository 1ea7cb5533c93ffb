"""A bulletin's content: the layout (``layout.SECTIONS``) filled with the figures the apps
provide (``core.figures``) for a period and scope, plus the editor's narrative per section.

The result (``Bulletin``) is plain data, JSON-serialisable: a draft's preview composes it live;
publishing stores it (figures, values, sources) in the issue's immutable snapshot and renders
the HTML, PDF and Word files from it. A figure no provider gives, or given as None, prints "—"
and is listed in ``missing``; a provider that fails is logged and its figures are missing:
the bulletin is never refused for one absent number.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils import translation

from motcua.bulletin import layout
from motcua.core import figures

log = logging.getLogger(__name__)
DASH = "—"
UNITS_EN = {"điểm": "points"}


@dataclass(frozen=True)
class Value:
    """One figure as printed: the raw value as text ("78.8", "" when missing), its unit."""

    key: str
    label: str
    value: str
    unit: str = ""
    kind: str = ""
    source: str = ""
    drill_url: str = ""

    @property
    def missing(self) -> bool:
        return self.value == ""

    def shown(self, language: str = "vi") -> str:
        return format_value(self.key, self.value, self.unit, language)


@dataclass(frozen=True)
class Segment:
    text: str
    key: str = ""  # a figure's key when this segment is a figure


@dataclass(frozen=True)
class SectionContent:
    key: str
    number: int
    title: str
    narrative: str
    lines: list[list[Segment]]


@dataclass
class Bulletin:
    language: str
    title: str
    period_start: str
    period_end: str
    period_label: str
    scope_code: str  # "" = the whole province
    scope_name: str
    number: str = ""  # "02" once published
    kind: str = "bulletin"  # or "ministry": the periodic report to the Ministry of Home Affairs
    published_at: str = ""
    sections: list[SectionContent] = field(default_factory=list)
    values: dict[str, Value] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Bulletin:
        data = dict(data)
        data["values"] = {k: Value(**v) for k, v in data["values"].items()}
        data["sections"] = [
            SectionContent(
                **{**s, "lines": [[Segment(**seg) for seg in line] for line in s["lines"]]}
            )
            for s in data["sections"]
        ]
        return cls(**data)

    def used(self) -> list[Value]:
        """The figures printed, in order of first appearance (the sources table)."""
        return [self.values[k] for k in layout.all_keys() if k in self.values]


def _raw(value: int | Decimal | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)


def format_value(key: str, raw: str, unit: str, language: str = "vi") -> str:
    """Vietnamese: 1.915 and 78,8%; English: 1,915 and 78.8%. Years are not grouped."""
    if raw == "":
        return DASH
    whole, _, frac = raw.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    if not key.endswith(".year"):
        groups = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        groups.insert(0, digits)
        digits = ("." if language == "vi" else ",").join(groups)
    text = sign + digits + ((("," if language == "vi" else ".") + frac) if frac else "")
    if unit == "%":
        return text + "%"
    if unit:
        return f"{text} {UNITS_EN.get(unit, unit) if language == 'en' else unit}"
    return text


def collect(query: figures.FigureQuery) -> dict[str, figures.Figure]:
    """Every provider's figures; a failing provider is logged and left out (its keys missing)."""
    found: dict[str, figures.Figure] = {}
    for name, provider in figures.providers().items():
        try:
            items = list(provider(query))
        except Exception:  # one broken register must not take the whole bulletin down
            log.exception("figure provider %s failed for %s", name, query)
            continue
        for figure in items:
            if figure.key in found:
                log.error("figure %s provided twice (last by %s)", figure.key, name)
                continue
            found[figure.key] = figure
    return found


def _segments(template: str) -> list[Segment]:
    out: list[Segment] = []
    pos = 0
    for m in layout.PLACEHOLDER.finditer(template):
        if m.start() > pos:
            out.append(Segment(template[pos : m.start()]))
        out.append(Segment("", m.group(1)))
        pos = m.end()
    if pos < len(template):
        out.append(Segment(template[pos:]))
    return out


def compose(
    query: figures.FigureQuery,
    *,
    title: str,
    period_label: str,
    scope_name: str,
    narrative: dict[str, str] | None = None,
    language: str = "vi",
) -> Bulletin:
    """The bulletin for ``query``, figures computed now, in ``language`` (vi or en)."""
    narrative = narrative or {}
    with translation.override(language):
        found = collect(query)
    values: dict[str, Value] = {}
    missing: list[str] = []
    for key in layout.all_keys():
        f = found.get(key)
        if f is None or f.value is None:
            missing.append(key)
        values[key] = Value(
            key=key,
            label=f.label if f else key,
            value=_raw(f.value) if f else "",
            unit=f.unit if f else "",
            kind=f.kind if f else "",
            source=f.source if f else "",
            drill_url=f.drill_url if f else "",
        )
    sections = [
        SectionContent(
            key=s.key,
            number=n,
            title=s.title(language),
            narrative=narrative.get(s.key, ""),
            lines=[_segments(line.en if language == "en" else line.vi) for line in s.lines],
        )
        for n, s in enumerate(layout.SECTIONS, start=1)
    ]
    return Bulletin(
        language=language,
        title=title,
        period_start=query.start.isoformat(),
        period_end=query.end.isoformat(),
        period_label=period_label,
        scope_code=query.agency_code or "",
        scope_name=scope_name,
        sections=sections,
        values=values,
        missing=missing,
    )


def plain_line(bulletin: Bulletin, line: list[Segment]) -> str:
    """A sentence as text, figures printed in the bulletin's language."""
    return "".join(
        bulletin.values[s.key].shown(bulletin.language) if s.key else s.text for s in line
    )


def period_dates(bulletin: Bulletin) -> tuple[dt.date, dt.date]:
    return dt.date.fromisoformat(bulletin.period_start), dt.date.fromisoformat(bulletin.period_end)
