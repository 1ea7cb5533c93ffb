"""motcua — one-stop (một cửa) e-government platform."""
