"""Desk views, one module per screen. Thin: parse, call a service or query, shape output."""
