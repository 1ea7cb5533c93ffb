"""The Cần Thơ 2021 demo, assembled from the apps' own demo data.

Each app owns its demo data in ``<app>/demo.py`` and declares it on its ``AppConfig``::

    demo = "motcua.catalog.demo"  # the module: load(run), load_history(run), summary(run)
    demo_after = ("agencies",)  # labels of the apps whose demo data it needs

Each hook is optional: ``load`` the reference data the site needs to be used, ``load_history``
the bulk of past activity (``make run`` loads it in the background, while the server already
answers), ``summary`` what to print at the end (the logins).

This module only orders the declared loaders (dependencies first, then ``INSTALLED_APPS``
order) and runs them: core never imports an app. Every loader is idempotent: a second run
finds what it would create and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_module


@dataclass(frozen=True)
class DemoRun:
    """What a loader is given: where to report, and the sizes asked for (by name, e.g.
    ``{"dossiers": 300, "feedback": 5492}``; a loader falls back to its own default)."""

    log: Callable[[str], None]
    sizes: Mapping[str, int] = field(default_factory=dict)

    def size(self, name: str, default: int) -> int:
        value = self.sizes.get(name)
        return default if value is None else value


def ordered_configs() -> list[AppConfig]:
    """The apps declaring demo data, each after the apps named in its ``demo_after``."""
    declared = [c for c in apps.get_app_configs() if getattr(c, "demo", None)]
    by_label = {c.label: c for c in declared}
    done: list[AppConfig] = []
    visiting: set[str] = set()

    def visit(config: AppConfig) -> None:
        if config in done:
            return
        if config.label in visiting:
            raise ImproperlyConfigured(f"demo_after of {config.label} forms a cycle")
        visiting.add(config.label)
        for label in getattr(config, "demo_after", ()):
            if label not in by_label:
                raise ImproperlyConfigured(
                    f"{config.label}.demo_after names {label!r}, which declares no demo data"
                )
            visit(by_label[label])
        visiting.discard(config.label)
        done.append(config)

    for config in declared:
        visit(config)
    return done


def modules() -> list[ModuleType]:
    return [import_module(config.demo) for config in ordered_configs()]


PARTS = ("reference", "history", "all", "bulletin-2021")


def load(run: DemoRun, part: str = "all") -> None:
    """Load every app's demo data in order, then print what each has to say (the logins).

    ``reference``: what the site needs to be used (each module's ``load``: agencies,
    procedures, users), fast; ``history``: the bulk of 2021 (each module's ``load_history``:
    dossiers, feedback), which may be loaded while the server already answers; ``all``: both;
    ``bulletin-2021``: both, then each module's ``load_bulletin_2021`` (the seed's figures).
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    loaded = modules()
    hooks = {
        "reference": ("load",),
        "history": ("load_history",),
        # the seed-shaped 2021 data set of the bulletin (docs/bulletin.md): after the reference
        # data and the history, each module's ``load_bulletin_2021`` tops it up
        "bulletin-2021": ("load", "load_history", "load_bulletin_2021"),
    }.get(part, ("load", "load_history"))
    for hook in hooks:
        for module in loaded:
            step = getattr(module, hook, None)
            if step is not None:
                step(run)
    if part != "history":
        for module in loaded:
            summary = getattr(module, "summary", None)
            if summary is not None:
                summary(run)
