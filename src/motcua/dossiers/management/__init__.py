"""CLI entry points of the dossier engine."""
