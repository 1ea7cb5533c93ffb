"""Why a package is refused: one exception carrying every problem found, in plain Vietnamese
with the line number where the schema pointed at one."""

from __future__ import annotations


class EdxmlError(ValueError):
    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"- {p}" for p in self.problems)


class SignatureError(EdxmlError):
    """The package's XML signature is missing, broken, or not the sender's."""
