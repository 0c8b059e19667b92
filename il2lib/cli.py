"""The ``il2`` command: audit every published number, or validate the embedded data.

``il2 new ID`` starts a new paper's audit (:mod:`il2lib.scaffold`).  ``il2 audit`` prints every claim with its
verdict, then the findings, strongest
first, and the consistency checks that failed (``--json`` for machine-readable
rows, each with its ``basis``, ``premises``, ``strength``, ``finding`` and
``checks``, plus top-level ``findings`` and ``premises``; ``--markdown`` for a
report).  ``il2 validate`` checks everything ``il2 audit`` would refuse as input.

Exit status, for scripts:

* 0: every verdict is the one its claims file expects and every failed check is explained;
* 1: a verdict or a check is not as expected (a finding, not a fault);
* 2: bad input: a data file is malformed or inconsistent, or there is no data (the message names the file);
* 3: an internal error, a bug in il2lib: the message says so and asks for a report; ``--debug`` shows the
  traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from il2lib import audit, datasets, report
from il2lib.exceptions import DataError, ReconstructionError, UnknownStudyError

__all__ = ["main"]

_JSON_KEYS = ["study", "id", "source", "quantity", "printed", "unit", "published", "reproduced", "verdict",
              "expected", "basis", "premises", "strength", "withheld", "finding", "note", "checks", "elsewhere"]


#: The exit statuses (see the module's docstring).
AS_EXPECTED, NOT_AS_EXPECTED, BAD_INPUT, INTERNAL_ERROR = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (:data:`AS_EXPECTED` ... :data:`INTERNAL_ERROR`)."""
    args = _parser().parse_args(argv)
    try:
        return _command(args)
    except (DataError, UnknownStudyError, ReconstructionError) as err:
        print(f"il2: {err}", file=sys.stderr)
        return BAD_INPUT
    except Exception as err:  # noqa: BLE001 - anything else is a bug: say so, and show the traceback on request
        if getattr(args, "debug", False):
            raise
        print(f"il2: internal error, a bug in il2lib rather than in your data: {type(err).__name__}: {err}\n"
              "  Please report it with the command you ran; add --debug to see where it happened.", file=sys.stderr)
        return INTERNAL_ERROR


def _command(args: argparse.Namespace) -> int:
    if args.command == "new":
        return _new(args.study_id)
    if args.command == "notebook":
        return _notebook(args.page, args.output, execute=not args.no_execute, force=args.force)
    _require_studies()
    if args.command == "validate":
        return _validate()
    return _audit(args)


def _require_studies() -> None:
    folder = datasets.data_dir()
    if not datasets.studies():
        what = "does not exist" if not folder.exists() else "is not a folder" if not folder.is_dir() else \
            "holds no study (no sub-folder with a study.yaml)"
        raise DataError([f"{folder}: the data folder {what}; point IL2_DATA_DIR at the folder that holds one "
                         "folder per study, or run il2 from the book's root"])


def _audit(args: argparse.Namespace) -> int:
    if args.record and not args.study:
        raise DataError(["--record writes into a study's claims file: name the study with --study ID"])
    rows = audit.run(args.study or None)
    if args.record:
        return _record(rows)
    found = audit.findings(rows)   # once, for the listing and the counts alike
    summary = audit.summary(rows, found)
    text = (_as_json(rows, found, summary) if args.json else
            report.markdown(rows, found=found, summary=summary) if args.markdown else _as_text(rows, found, summary))
    empty = [] if args.json else _without_claims(args.study or datasets.studies(), rows)
    try:
        print("\n".join([*empty, text]) if len(rows) else "\n".join(empty))
    except BrokenPipeError:  # e.g. `il2 audit | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return AS_EXPECTED if summary["unexpected"] == 0 else NOT_AS_EXPECTED


def _without_claims(study_ids: list[str], rows: pd.DataFrame) -> list[str]:
    """A line for each audited study that has no claims yet, saying where to add them."""
    audited = set(rows["study"])
    return [f"{study_id}: no claims yet; add one row per printed number to {_claims_file(study_id)}, and run "
            "`il2 validate` after each" for study_id in study_ids if study_id not in audited]


def _claims_file(study_id: str) -> Path:
    study = datasets.load(study_id)
    return study.path / study.metadata["claims"]


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a sub-command's parser would otherwise reset a --debug given before the sub-command
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the traceback of an internal error")
    parser = argparse.ArgumentParser(prog="il2", description=__doc__.splitlines()[0], parents=[common])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("audit", help="re-derive every published number and judge it", parents=[common])
    check.add_argument("--study", action="append", metavar="ID",
                       help="audit only this study (repeatable); default: every study under data/")
    output = check.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON instead of a table")
    output.add_argument("--markdown", action="store_true", help="print a Markdown report instead of a table")
    check.add_argument("--record", action="store_true",
                       help="with --study: write each verdict reached into the claims file's empty 'expected' "
                            "cells (a filled one is never changed), and list what was written, for review")
    commands.add_parser("validate", help="check every data file, and everything the audit reads, and exit "
                                         "(status 2 on a problem)", parents=[common])
    new = commands.add_parser("new", help="start a new paper's audit: data/<id>/ with a commented study.yaml and "
                                          "an empty claims.csv (never overwrites)", parents=[common])
    new.add_argument("study_id", help="the new study's id and folder name, e.g. smith-2019")
    notebook = commands.add_parser("notebook", help="write a chapter as a Jupyter notebook, executed",
                                   parents=[common])
    notebook.add_argument("page", help="a chapter's source, e.g. chapters/after-pd1.md")
    notebook.add_argument("--output", "-o", help="where to write (default: <page>.ipynb here)")
    notebook.add_argument("--no-execute", action="store_true", help="write the notebook without running it")
    notebook.add_argument("--force", action="store_true",
                          help="overwrite an existing file under data/ or chapters/ (refused otherwise)")
    return parser


def _validate() -> int:
    """Every study's files, then everything the audit reads from them (relations, links between studies,
    reconstruction targets): what validate accepts, the audit accepts."""
    ids = datasets.studies()
    loaded = [datasets.load(study_id) for study_id in ids]
    audit.run(ids)
    for study in loaded:
        print(f"{study.id}: {len(study.tables)} tables and {len(study.claims)} claims are valid")
    return AS_EXPECTED


def _record(rows: pd.DataFrame) -> int:
    """Write the verdicts reached into the empty ``expected`` cells of each audited study's claims file."""
    from il2lib.scaffold import record_verdicts

    for study_id, group in rows.groupby("study", sort=False):
        reached = dict(zip(group["id"], group["verdict"]))
        written = record_verdicts(datasets.load(study_id), reached, dict(zip(group["id"], group["evidence"])))
        for claim_id, verdict in written.items():
            print(f"recorded {study_id} {claim_id}: {verdict}")
        if not written:
            print(f"{study_id}: every expected verdict was already written; nothing changed")
        elif any(v != "match" for v in written.values()):
            print("Review each one. A verdict other than match needs a note saying why: where there was none, the "
                  "audit's evidence was written there, marked 'TO REVIEW'; replace it with yours.")
    return AS_EXPECTED


def _new(study_id: str) -> int:
    from il2lib.scaffold import new_study

    for path in new_study(study_id):
        print(f"wrote {path}")
    print(f"Fill in study.yaml, add one claim per row to claims.csv, and run `il2 validate` after each; "
          f"`il2 audit --study {study_id}` judges them.")
    return AS_EXPECTED


def _notebook(page: str, output: str | None, *, execute: bool, force: bool = False) -> int:
    from il2lib.notebooks import to_notebook   # imports Jupyter machinery only when asked

    if not Path(page).is_file():
        print(f"il2: no chapter source {page!r}", file=sys.stderr)
        return BAD_INPUT
    target = Path(output) if output else None
    if target is not None and not force and _protected(target, Path(page)):
        print(f"il2: {target} exists and is part of the book (its data or its chapters); nothing written. "
              "Choose another --output, or add --force to overwrite it.", file=sys.stderr)
        return BAD_INPUT
    written = to_notebook(Path(page), target, execute=execute)
    print(f"wrote {written}" + (" (executed)" if execute else ""))
    return 0


def _protected(target: Path, page: Path) -> bool:
    """Whether writing ``target`` would overwrite the chapter itself or an existing file of the data or chapters.

    >>> _protected(Path("/tmp/out.ipynb"), Path("chapters/after-pd1.md"))
    False
    """
    target = target.resolve()
    if target == page.resolve():
        return True
    book = {datasets.data_dir().resolve(), page.resolve().parent}
    return target.exists() and any(target.is_relative_to(folder) for folder in book)


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 6)


def _as_json(rows: pd.DataFrame, found: list[dict], summary: dict) -> str:
    claims = []
    for row in rows.to_dict("records"):
        item = {key: row[key] for key in _JSON_KEYS}
        item["published"], item["reproduced"] = _number(row["published"]), _number(row["reproduced"])
        item["note"] = "; ".join(part for part in (row["evidence"], row["note"]) if part)
        claims.append(item)
    payload = {"claims": claims, "findings": found, "premises": audit.premise_status(rows), "summary": summary}
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _as_text(rows: pd.DataFrame, found: list[dict], summary: dict) -> str:
    table = pd.DataFrame({
        "study": rows["study"], "claim": rows["id"], "source": rows["source"], "published": rows["printed"],
        "reproduced": rows["shown"].replace("", "-"),
        "verdict": [v if ok else f"{v} (expected {e})" for v, e, ok in
                    zip(rows["verdict"], rows["expected"], rows["as_expected"])],
        "note": [textwrap.wrap("; ".join(part for part in (e, x) if part), 70) or [""]   # wrapped, never cut
                 for e, x in zip(rows["evidence"], rows["elsewhere"])],
    })
    lines = [*_aligned(table), "", "Findings, strongest first:"]
    for f in found:
        premised = f" on {', '.join(f['premises'])}" if f["premises"] else ""
        head = (f"[{f['strength']}{premised}] {f['study']}: {f['title']} ({f['printings']} printing"
                f"{'' if f['printings'] == 1 else 's'}: {', '.join(f['claims'])}). {f['summary']}")
        lines.append(textwrap.fill(head, 110, initial_indent="  - ", subsequent_indent="    "))
        for evidence in f["evidence"] + f["checks"]:
            lines.append(textwrap.fill(evidence, 110, initial_indent="      evidence: ", subsequent_indent="        "))
    failed = audit.failed_checks(rows)
    lines += ["", "Failed consistency checks:"]
    for check in failed.itertuples():
        mark = "" if check.explained else "UNEXPLAINED "
        why = check.finding or check.why
        detail = (f"{mark}{check.study} {check.name}: {check.detail} [listed on {', '.join(check.claims)}"
                  f"{'; ' + why if why else ''}]")
        lines.append(textwrap.fill(detail, 110, initial_indent="  - ", subsequent_indent="    "))
    lines += ["", _summary_line(summary)]
    return "\n".join(lines)


def _aligned(table: pd.DataFrame) -> list[str]:
    """The table as left-aligned text lines, one column width per column.

    A cell that is a list of lines (a wrapped note) continues on the following lines, under its column.

    >>> _aligned(pd.DataFrame({"claim": ["a"], "note": [["first line", "second"]]}))
    ['claim  note', 'a      first line', '       second']
    """
    cells = table.map(lambda v: v if isinstance(v, list) else [str(v)])
    widths = [max([len(str(name)), *(len(part) for lines in cells[name] for part in lines)]) for name in table.columns]

    def line(values) -> str:
        return "  ".join(str(v).ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(table.columns)]
    for row in cells.itertuples(index=False):
        depth = max(len(lines) for lines in row)
        out += [line([lines[i] if i < len(lines) else "" for lines in row]) for i in range(depth)]
    return out


def _summary_line(s: dict) -> str:
    tail = ("every verdict as expected, every failed check explained" if not s["unexpected"]
            else f"{s['unexpected']} verdicts or failed checks NOT as expected")
    if s.get("unrecorded"):
        tail += (f"; {s['unrecorded']} expected verdict{'s' if s['unrecorded'] != 1 else ''} not written yet "
                 "(il2 audit --study ID --record)")
    if s.get("to_review"):
        tail += f"; {s['to_review']} recorded note{'s' if s['to_review'] != 1 else ''} marked TO REVIEW"
    return f"{report.headline(s)[:-1]}; {tail}."


if __name__ == "__main__":
    sys.exit(main())
