"""A new paper's audit: the files it starts from (``il2 new``), and its verdicts recorded (``--record``).

:func:`new_study` creates a folder under :func:`il2lib.datasets.data_dir` (nothing that exists is ever
overwritten); its files validate as written, so a person can add one claim at a time and run
``il2 validate`` after each.  While a study is being written its claims may leave ``expected`` empty;
:func:`record_verdicts` then writes the verdicts the audit reached into those empty cells only, when asked
(``il2 audit --study ID --record``), for the author to review.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from il2lib import datasets
from il2lib.claims import TO_REVIEW
from il2lib.exceptions import DataError

__all__ = ["new_study", "record_verdicts", "STUDY_ID", "TO_REVIEW"]

#: What a study id looks like: the folder's name, in lower case with hyphens.
STUDY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_STUDY_YAML = """\
# The paper this folder audits.  Replace each value; keep the keys.  See data/README.md for every key, and
# the book's appendix "Auditing a new paper" for a worked example.
id: {study_id}                 # the folder's name
title: TITLE OF THE PAPER
short_title: SHORT TITLE
citation:
  authors: FIRST AUTHOR, et al.
  year: 2000                   # the year of publication
  journal: JOURNAL
source_file: WHERE THE PAPER'S TEXT IS
design: HOW THE STUDY WAS DONE
population: WHO WAS TREATED    # a number here is written as the id of the claim that prints it, in braces
regimen: THE TREATMENT
claims: claims.csv             # every number the paper prints, one per row
# patients_claim: abs-n        # the claim that prints how many patients the study reports
# tables:                      # tidy tables of counts the paper prints, when there are any
#   response:
#     file: response.csv
#     schema: response_counts  # one of the schemas listed in data/README.md
#     source: Table 2
#     description: Best overall response of every patient treated.
"""

_CLAIMS_HEADER = ("id,source,quantity,printed,unit,expected,restates,note,of,count,sum_of,at_least,at_most,median,"
                  "landmark,same_as,partition,ratio_of,compares,finding\n")


def new_study(study_id: str) -> list[Path]:
    """Create ``data/<study_id>/`` with a commented ``study.yaml`` and a ``claims.csv`` holding only its header.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    DataError
        If the id is not a folder name of lower-case letters, digits and hyphens, or the folder exists.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["IL2_DATA_DIR"] = tempfile.mkdtemp()
    >>> [path.name for path in new_study("my-paper")]
    ['study.yaml', 'claims.csv']
    >>> len(datasets.load("my-paper").claims)
    0
    >>> del os.environ["IL2_DATA_DIR"]
    """
    if not STUDY_ID.match(study_id):
        raise DataError([f"{study_id!r}: expected a study id of lower-case letters, digits and hyphens, "
                         "such as 'smith-2019'"])
    folder = datasets.data_dir() / study_id
    if folder.exists():
        raise DataError([f"{folder}: exists already; nothing written (choose another id, or edit its files)"])
    folder.mkdir(parents=True)
    study = folder / "study.yaml"
    study.write_text(_STUDY_YAML.format(study_id=study_id), encoding="utf-8")
    claims = folder / "claims.csv"
    claims.write_text(_CLAIMS_HEADER, encoding="utf-8")
    return [study, claims]


def record_verdicts(study: datasets.Study, reached: dict[str, str], evidence: dict[str, str] | None = None
                    ) -> dict[str, str]:
    """Write each reached verdict into the study's claims file where ``expected`` is empty.

    A verdict other than ``match`` needs a note; where the note is empty too, the audit's evidence is written
    there after :data:`TO_REVIEW`, so the file stays valid and the audit counts the notes still to review.
    A filled cell is never changed and no other cell is touched (the file is rewritten by the csv module,
    which keeps every value; the claims files of this book come back byte for byte).

    Returns
    -------
    dict of str to str
        The verdicts written, by claim id (empty if every expected verdict was already written).
    """
    from il2lib.textfiles import read_text

    path = study.path / study.metadata["claims"]
    rows = list(csv.reader(io.StringIO(read_text(path), newline="")))
    column, note = rows[0].index("expected"), rows[0].index("note")
    written = {}
    for row in rows[1:]:
        if row and row[0] in reached and not row[column].strip():
            row[column] = written[row[0]] = reached[row[0]]
            if reached[row[0]] != "match" and not row[note].strip():
                row[note] = f"{TO_REVIEW} {(evidence or {}).get(row[0]) or 'no evidence recorded'}"
    if written:
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    return written
