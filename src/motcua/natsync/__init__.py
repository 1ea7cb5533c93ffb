"""Synchronisation with the National Public Service Portal (Cổng Dịch vụ công quốc gia):
the outbox of dossier events (``outbox``, ``delivery``), the protocol (``protocol``,
``client``, ``mapping``), reconciliation and the catalog pull. See docs/national-sync.md."""
