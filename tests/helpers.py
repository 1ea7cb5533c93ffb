"""Helpers shared by the test set-ups of several apps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=9, mm=0) -> dt.datetime:
    """A moment in Vietnam's time zone (09:00 unless told)."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


class UsersByName:
    """A test world whose ``users`` are also reachable as attributes (``world.desk_officer_a``)."""

    users: dict

    def __getattr__(self, name):
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name) from None
