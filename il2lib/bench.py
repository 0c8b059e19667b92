"""Measure the book's speed figures and print them (``make bench``).

Development tool, not part of the library's API.  It copies the book to a
temporary folder (the real ``_build/`` is left alone) and times, with the same
command as ``make book``:

* a clean build, every chapter executed, against the floor: as many fresh
  kernels as there are executed pages, each only importing pandas, lifelines,
  seaborn and matplotlib, run over every core (measured, not estimated);
* what the PDF handouts add to it: the printing time the clean build logs, and two
  more printings of every handout from the built site (:func:`il2lib.handouts.print_pages`);
* a rebuild with nothing changed;
* a rebuild after one chapter's code changed;
* a rebuild after a data file changed (every chapter re-executes);
* ``il2 audit`` over all studies, alternated with a bare ``import pandas, lifelines`` (its floor);
* the full test suite (skip it with ``--no-tests``);
* a growth run (:mod:`il2lib.growth`): ``il2 audit`` over the largest claims file grown 1, 4, 16 and 64
  times with restatement families, each in a fresh process, with its peak memory and the fitted exponent
  of time on claims (skip it with ``--no-growth``);
* :func:`~il2lib.reconstruction.reconstruct` on groups of 500 and 5,000, Kaplan–Meier and known-status
  landmarks, printed to whole percents and to one decimal;
* the simulated failure rate (:mod:`il2lib.simulation`, ``--groups``, 2,000 by default);
* the weight of each chapter page with its images.

Targets are in ``shared/targets.md``; see the README's development section.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from il2lib import growth, simulation
from il2lib.reconstruction import GroupSummary, reconstruct
from il2lib.validation import summarise
from il2lib.sphinxext import toc_pages

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BOOK_PARTS = ["_config.yml", "_toc.yml", "chapters", "data", "il2lib"]
IMPORTS = "import pandas, lifelines, seaborn, matplotlib.pyplot"
#: How many times the growth run prints the largest claims file.
GROWTH = (1, 4, 16, 64)


def _timed(command: list[str], cwd: Path) -> float:
    return _run(command, cwd)[0]


def _run(command: list[str], cwd: Path) -> tuple[float, str]:
    """Seconds the command took, and its output."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout + result.stderr


def _build(book: Path) -> float:
    return _build_with_log(book)[0]


def _build_with_log(book: Path) -> tuple[float, str]:
    return _run([str(BIN / "jupyter-book"), "build", ".", "--warningiserror", "--nitpick", "--keep-going"], book)


def _handout_seconds(build_log: str) -> float:
    """The seconds a build spent printing PDF handouts, as its log reports them (0 if it printed none)."""
    found = re.search(r"PDF handouts: printed \d+ of \d+ in ([\d.]+) s", build_log)
    return float(found.group(1)) if found else 0.0


def _handouts(book: Path, build_log: str, reprints: int = 2) -> list[tuple[str, float, str]]:
    """What the PDF handouts add to a clean build: the printing time its log reports, and ``reprints`` more.

    Each reprint prints every handout again from the built site, as the build does when it ends.
    """
    from il2lib import handouts

    reason = handouts.why_unavailable()
    if reason:
        print(f"PDF handouts not measured: {reason}")
        return []
    site, pages = book / "_build" / "html", handouts.handout_pages(book)
    runs = sorted([_handout_seconds(build_log)] + [handouts.print_pages(site, pages) for _ in range(reprints)])
    return [(f"PDF handouts, {len(pages)} pages (median of {len(runs)})", runs[len(runs) // 2],
             f"<= 10 s on top of the clean build; runs {runs[0]:.1f}..{runs[-1]:.1f} s")]


def _run_floor_page(_: int) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(IMPORTS)])
    NotebookClient(notebook, kernel_name="python3").execute()


def _floor(pages: int) -> float:
    """Seconds to run ``pages`` notebooks that only import the core stack, each in a fresh kernel, over all cores.

    This is the floor of ``shared/targets.md``: what a build of that many pages would cost if the pages
    did nothing but start a kernel and import pandas, lifelines, seaborn and matplotlib.
    """
    import multiprocessing
    import os

    start = time.perf_counter()
    with multiprocessing.Pool(processes=min(pages, os.cpu_count() or 1)) as pool:
        list(pool.imap_unordered(_run_floor_page, range(pages), chunksize=1))
    return time.perf_counter() - start


def _audit_against_bare_import(runs: int) -> list[tuple[str, float, str]]:
    """``il2 audit`` against a bare ``import pandas, lifelines``, run alternately so both see the same load.

    Returns the two medians and, for the audit, the ratio of medians with the range of per-pair ratios.
    """
    bare, audit = [], []
    for _ in range(runs):
        bare.append(_timed([sys.executable, "-c", "import pandas, lifelines"], ROOT))
        audit.append(_timed([str(BIN / "il2"), "audit"], ROOT))
    ratios = sorted(a / b for a, b in zip(audit, bare))
    median = sorted(audit)[runs // 2] / sorted(bare)[runs // 2]
    return [(f"bare import pandas, lifelines (median of {runs})", sorted(bare)[runs // 2], "(reference for the audit)"),
            (f"il2 audit, all studies (median of {runs})", sorted(audit)[runs // 2],
             f"<= 1.5 x bare import; measured {median:.2f} x (pairs {ratios[0]:.2f}..{ratios[-1]:.2f} x)")]


def _speed_summary(n: int, kind: str, decimals: int, seed: int) -> GroupSummary:
    """A group of *n* as a paper prints it: Weibull deaths (median about a year), follow-up uniform on 6-60 months."""
    rng = np.random.default_rng([seed, n, decimals])
    death, censor = 14 * rng.weibull(1.2, n), rng.uniform(6, 60, n)
    durations, events = np.minimum(death, censor), (death <= censor).astype(int)
    summary = summarise(durations, events, landmark_times=[6, 12, 24], decimals=decimals)
    if kind == "known_status":
        marks = simulation.known_status_landmarks(durations, events, [m.time for m in summary.landmarks], decimals)
        summary = replace(summary, landmarks=marks, landmark_kind="known_status")
    return summary


def _reconstruction_speed(repeats: int = 5) -> list[tuple[str, float, str]]:
    """Median milliseconds of :func:`~il2lib.reconstruction.reconstruct` over ``repeats`` groups per size and kind."""
    rows = []
    for n, target in ((500, "<= 50 ms"), (5000, "<= 1000 ms")):
        for kind in ("km", "known_status"):
            for decimals in (0, 1):
                seconds = []
                for seed in range(repeats):
                    summary = _speed_summary(n, kind, decimals, seed)
                    start = time.perf_counter()
                    reconstruct(summary)
                    seconds.append(time.perf_counter() - start)
                rows.append((f"n = {n}, {kind}, {decimals} decimal{'s' if decimals != 1 else ''}",
                             1000 * sorted(seconds)[repeats // 2], f"{target}; max {1000 * max(seconds):.0f} ms"))
    return rows


def _page_weights(book: Path) -> dict[str, int]:
    weights = {}
    for html_path in sorted((book / "_build" / "html" / "chapters").glob("*.html")):
        html = html_path.read_text(encoding="utf-8")
        images = {html_path.parent / src for src in re.findall(r'<img[^>]*src="([^"]+)"', html)}
        weights[html_path.stem] = html_path.stat().st_size + sum(p.stat().st_size for p in images if p.is_file())
    return weights


def main(argv: Sequence[str] | None = None) -> int:
    """Print the measured figures; return 0."""
    parser = argparse.ArgumentParser(prog="python -m il2lib.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--no-tests", action="store_true", help="skip timing the full test suite (over a minute)")
    parser.add_argument("--no-growth", action="store_true", help="skip the growth run (about 40 s)")
    parser.add_argument("--groups", type=int, default=2000,
                        help="simulated groups to reconstruct (default 2000, about a minute; 0 skips)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp)
        for part in BOOK_PARTS:
            source = ROOT / part
            copy = shutil.copytree if source.is_dir() else shutil.copy2
            copy(source, book / part)
        pages = toc_pages(book)   # the pages the build executes
        floor = _floor(len(pages))
        build, log = _build_with_log(book)
        figures = [(f"floor: {len(pages)} kernels, imports only", floor, "(reference for the clean build)"),
                   ("clean build", build, f"<= 1.5 x floor; measured {build / floor:.2f} x, "
                                          f"{(build - _handout_seconds(log)) / floor:.2f} x without the handouts")]
        figures += _handouts(book, log)
        figures.append(("no-change rebuild", _build(book), "<= 3 s"))
        chapter = pages[0]
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\n```{code-cell} ipython3\n1 + 1\n```\n",
                           encoding="utf-8")
        figures.append((f"rebuild, {chapter.stem} code changed", _build(book), "(no target)"))
        data_file = next((book / "data").glob("*/claims.csv"))
        data_file.write_text(data_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        figures.append(("rebuild, a data file changed", _build(book), "(no target; all chapters re-execute)"))
        figures += _audit_against_bare_import(runs=5)
        if not args.no_tests:
            figures.append(("full test suite", _timed([sys.executable, "-m", "pytest", "-q"], ROOT), "<= 90 s"))
        weights = _page_weights(book)
        grown = [] if args.no_growth else growth.growth_run(GROWTH, Path(tmp) / "growth")

    print(f"{'figure':40} {'seconds':>8}  target")
    for name, seconds, target in figures:
        print(f"{name:40} {seconds:8.1f}  {target}")
    print(f"\n{'reconstruct(), median of 5 groups':40} {'ms':>8}  target")
    for name, milliseconds, target in _reconstruction_speed():
        print(f"{name:40} {milliseconds:8.0f}  {target}")
    if args.groups:
        frame = simulation.run(args.groups, seed=1, processes=2)
        print(f"\nsimulated consistent summaries (seed 1): {args.groups} groups, {int((~frame['ok']).sum())} failed "
              f"(target 0); {1000 * frame['seconds'].median():.0f} ms per group (median), "
              f"{frame['seconds'].max():.1f} s at most")
    print(f"\n{'chapter page with its images':40} {'MB':>8}  target <= 1.5 MB")
    for page, size in weights.items():
        print(f"{page:40} {size / 2**20:8.2f}")
    if grown:
        print(f"\n{'il2 audit, claims grown':24} {'claims':>8} {'seconds':>8} {'peak MB':>8}  target: about linear; "
              "50,000 claims < 60 s")
        for factor, claims, seconds, megabytes in grown:
            print(f"{f'{factor} x':24} {claims:8} {seconds:8.1f} {megabytes:8.0f}")
        print(f"time ~ claims ** {growth.exponent(grown):.2f} over the run; "
              f"** {growth.exponent(grown[-2:]):.2f} between the two largest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
