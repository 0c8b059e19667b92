"""Grow the book's data into larger audits with restatement families, and time them (``make bench``).

Development tool, not part of the library's API.  :func:`grow` writes a data
folder in which one study's claims are printed ``factor`` times: the study
itself holds the original claims and ``factor - 1`` copies of each, every copy
restating the original (a restatement family of ``factor`` printings, as one
fact is reprinted across papers), and a second study, ``echo``, holds
``factor`` more copies that restate the originals across studies
(``study-id:claim-id``).  A copy keeps its relations, pointed at the same
copy's claims, so the consistency checks grow with the claims.  Nothing under
the book's ``data/`` is written.

:func:`growth_run` audits each size in a fresh process and returns claims,
seconds and peak memory; :func:`exponent` fits ``time ~ claims ** k``.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from il2lib import datasets, scaffold

__all__ = ["grow", "growth_run", "exponent", "main"]

#: The study whose claims are grown (the book's largest claims file).
STUDY = "successive-courses"
#: The study that restates the grown study's claims from outside.
ECHO = "echo"
_ID = re.compile(r"[a-z0-9][a-z0-9_.-]*(?::[a-z0-9][a-z0-9_.-]*)?")
_REFERENCE_COLUMNS = ("restates", "of", "count", "sum_of", "at_least", "at_most", "median", "landmark",
                      "same_as", "ratio_of")


def _renamed(text: str, ids: set[str], suffix: str) -> str:
    """``text`` with every claim id of ``ids`` in it given ``suffix`` (other words and numbers kept)."""
    return _ID.sub(lambda m: m.group(0) + suffix if m.group(0) in ids else m.group(0), text)


def _copy(row: dict[str, str], ids: set[str], suffix: str, restates: str) -> dict[str, str]:
    """One copy of a claim row: its id and relations renamed, restating ``restates``, its own finding dropped."""
    copy = dict(row)
    for column in _REFERENCE_COLUMNS:
        copy[column] = _renamed(row.get(column, ""), ids, suffix)
    copy["id"] = row["id"] + suffix
    copy["restates"] = restates
    copy["partition"] = row.get("partition", "") and row["partition"] + suffix
    return copy


def _write_claims(path: Path, header: Sequence[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def grow(factor: int, out: Path, study: str = STUDY) -> int:
    """Write to ``out`` a data folder with ``study``'s claims grown ``factor`` times; return its number of claims.

    Examples
    --------
    >>> import tempfile
    >>> grow(2, Path(tempfile.mkdtemp()) / "data")
    1704
    """
    source = datasets.data_dir() / study
    out.mkdir(parents=True)
    shutil.copytree(source, out / study)
    with open(source / "claims.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or ()), list(reader)
    ids = {row["id"] for row in rows}
    own = list(rows)
    for copy in range(1, factor):
        own += [_copy(row, ids, f"-r{copy}", row["id"]) | {"finding": "", "expected": ""} for row in rows]
    _write_claims(out / study / "claims.csv", header, own)
    echo = [_copy(row, ids, f"-e{copy}", f"{study}:{row['id']}") | {"finding": "", "expected": "", "same_as": ""}
            for copy in range(factor) for row in rows]
    for row in echo:  # a copy's relations that reach the other study are dropped: they would need its ids
        row.update({column: "" for column in _REFERENCE_COLUMNS if column != "restates" and ":" in row[column]})
    _scaffold(out)
    _write_claims(out / ECHO / "claims.csv", header, echo)
    return len(own) + len(echo)


def _scaffold(data: Path) -> None:
    """The echo study's folder, as ``il2 new`` writes it."""
    previous = os.environ.get("IL2_DATA_DIR")
    os.environ["IL2_DATA_DIR"] = str(data)
    try:
        scaffold.new_study(ECHO)
    finally:
        if previous is None:
            del os.environ["IL2_DATA_DIR"]
        else:
            os.environ["IL2_DATA_DIR"] = previous

_AUDIT = ("import resource, sys, time; start = time.perf_counter(); "
          "from il2lib import cli; code = cli.main(['audit']); "
          "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, "
          "file=sys.stderr)")


def _audit_once(data: Path) -> tuple[float, float]:
    """Seconds and peak memory (MB) of ``il2 audit`` over the data folder, in a fresh process."""
    env = {**os.environ, "IL2_DATA_DIR": str(data)}
    result = subprocess.run([sys.executable, "-c", _AUDIT], env=env, capture_output=True, text=True)
    last = result.stderr.strip().splitlines()[-1:] or [""]
    fields = last[0].split()
    if len(fields) != 3 or fields[2] not in ("0", "1"):
        raise SystemExit(f"il2 audit failed on {data}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return float(fields[0]), int(fields[1]) / 1024


def growth_run(factors: Sequence[int], work: Path) -> list[tuple[int, int, float, float]]:
    """For each factor: claims, and seconds and peak MB of auditing them in a fresh process."""
    results = []
    for factor in factors:
        data = work / f"data-{factor}"
        claims = grow(factor, data)
        seconds, megabytes = _audit_once(data)
        results.append((factor, claims, seconds, megabytes))
    return results


def exponent(results: Sequence[tuple[int, int, float, float]]) -> float:
    """Least-squares slope of log seconds on log claims.

    Examples
    --------
    >>> round(exponent([(1, 100, 1.0, 0), (4, 400, 4.0, 0), (16, 1600, 16.0, 0)]), 2)
    1.0
    """
    xs = [math.log(claims) for _, claims, _, _ in results]
    ys = [math.log(seconds) for _, _, seconds, _ in results]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    import tempfile
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("factors", nargs="*", type=int, default=[1, 4, 16])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        start = time.perf_counter()
        results = growth_run(args.factors, Path(work))
    for factor, claims, seconds, megabytes in results:
        print(f"{factor:>4}x  {claims:>7} claims  {seconds:7.2f} s  {megabytes:7.0f} MB")
    if len(results) > 1:
        print(f"time ~ claims ** {exponent(results):.2f}  ({time.perf_counter() - start:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
