"""Shared, app-independent building blocks (text normalisation, demo orchestration)."""
