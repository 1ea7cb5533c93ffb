"""Notifications to citizens and officers: e-mail, SMS, Zalo ZNS (docs/notifications.md).

The engine's services call ``hooks`` once per event, inside their transaction; everything else
(who, which channel, which template, sending, retrying) happens in background jobs after commit.
"""
