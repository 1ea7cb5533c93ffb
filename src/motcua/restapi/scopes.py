"""Token permissions ("scopes") and how an endpoint checks them."""

from __future__ import annotations

from collections.abc import Iterable

from motcua.dossiers.rules import Action

TASK_VERBS: dict[str, Action] = {
    "receive": Action.RECEIVE,
    "request-completion": Action.REQUEST_COMPLETION,
    "complete": Action.COMPLETE,
    "refuse-reception": Action.REFUSE_RECEPTION,
    "hand-over": Action.HAND_OVER,
    "forward": Action.FORWARD,
    "request-supplement": Action.REQUEST_SUPPLEMENT,
    "supplement": Action.SUPPLEMENT,
    "apologise": Action.APOLOGISE,
    "stop": Action.STOP,
    "withdraw": Action.WITHDRAW,
    "approve": Action.APPROVE,
    "refuse": Action.REFUSE,
    "request-payment": Action.REQUEST_PAYMENT,
    "confirm-payment": Action.CONFIRM_PAYMENT,
    "return": Action.RETURN_RESULT,
}

# Attesting that the applicant signed in with VNeID (``applicant.vneid``, indicator of the
# 766 index) is trusted only from a system that really checked it: the permission must be
# granted by name, never through "*" or a family wildcard.
ATTEST_VNEID = "attest:vneid"
EXPLICIT_ONLY = frozenset({ATTEST_VNEID})

KNOWN_SCOPES = frozenset(
    {"*", "dossiers:*", "dossiers:read", "dossiers:write", "tasks:*", ATTEST_VNEID}
    | {f"tasks:{verb}" for verb in TASK_VERBS}
)


def unknown_scopes(scopes: Iterable[str]) -> list[str]:
    return sorted(s for s in scopes if s not in KNOWN_SCOPES)


def grants(granted: Iterable[str], needed: str) -> bool:
    """Whether the granted scopes cover ``needed`` ("*" and "family:*" are wildcards)."""
    if needed in EXPLICIT_ONLY:
        return needed in granted
    family = needed.split(":", 1)[0]
    return any(g in ("*", needed, f"{family}:*") for g in granted)
