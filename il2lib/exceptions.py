"""Errors raised by il2lib, in one place."""

from __future__ import annotations

__all__ = ["DataError", "UnknownStudyError", "ReconstructionError", "UnknownClaimError", "NotADurationError"]


class DataError(ValueError):
    """A data file is malformed or disagrees with another data file.

    The message names the file, the line, the column, what was expected and
    what was found, so that the file can be fixed without reading any code.

    Parameters
    ----------
    problems : list of str
        One human-readable line per problem found.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the input:"
        super().__init__("\n".join([head, *("  - " + p for p in self.problems)]))


class UnknownStudyError(KeyError):
    """A study id that has no folder under ``data/``."""


class UnknownClaimError(KeyError):
    """A claim id that a study's claims file does not have (code asked for it by id)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class NotADurationError(ValueError):
    """A claim read as a duration whose unit is not one (code asked for it in months)."""


class ReconstructionError(ValueError):
    """Printed survival figures that no pseudo patient-level data can reproduce, or a malformed summary.

    The message names the group and the target (e.g. a median beyond the longest
    follow-up, landmark survival rising with time); ``group`` is the group's name
    when :func:`il2lib.reconstruction.reconstruct` raised it.
    """

    group: str | None = None
