"""Helpers for chapter pages: put computed and published numbers into the prose with myst-nb ``glue``.

A page never types a number.  It glues the published value of a claim
(``pub-<claim id>``, exactly as printed), its reproduced value
(``rep-<claim id>``, at printed precision) and any other computed text, then
quotes them with ``{glue:text}`name```.  Values are glued as ``str``: myst-nb
reads the glued ``repr`` back with ``ast.literal_eval``, which turns a quoted
string into exactly its text (``'720,000'``), whereas unquoted text such as
``720,000`` would be read as a tuple.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["glue_text", "glue_claims", "glue_summary"]


def glue_text(name: str, value: object) -> None:
    """Glue ``str(value)`` under ``name`` without displaying it."""
    from myst_nb import glue

    glue(name, str(value), display=False)


def glue_claims(audit_rows: pd.DataFrame, claim_ids: Iterable[str]) -> None:
    """Glue ``pub-<id>`` and ``rep-<id>`` for each claim id (a ``KeyError`` names any unknown id)."""
    rows = audit_rows.set_index("id")
    for claim_id in claim_ids:
        row = rows.loc[claim_id]
        glue_text(f"pub-{claim_id}", row["printed"])
        glue_text(f"rep-{claim_id}", row["shown"] or "not re-derivable")


def glue_summary(audit_rows: pd.DataFrame) -> dict:
    """Glue an audit's headline counts and return its summary (:func:`il2lib.audit.summary`).

    Glues each of :func:`il2lib.report.counts` as ``n-<name>``: ``n-claims``, ``n-match``,
    ``n-contradicted``, ``n-unverifiable``, and the matches by what they rest on, ``n-rederived``,
    ``n-cited`` and ``n-transcription`` (a cell equal to its second typing, which confirms our
    transcription, never the paper), with the findings and uninformative checks.
    """
    from il2lib import audit, report

    summary = audit.summary(audit_rows)
    for name, value in report.counts(summary).items():
        glue_text(f"n-{name}", value)
    return summary
