"""Sphinx extension for the book: bad data stop the build, and no page is computed from older inputs.

Jupyter Book's execution cache keys each page on its code cells only, so an
edit to ``data/`` or ``il2lib/`` would otherwise be served from the cache.
This extension, listed in ``_config.yml``:

* validates every study under ``data/`` before anything executes
  (a :class:`~il2lib.exceptions.DataError` fails the build with its message);
* points the execution cache at a folder named after a hash of ``data/``,
  ``il2lib/`` and the lock file, so any change to them re-executes the pages,
  and removes the folders of older hashes;
* names a folder under the same hash where the kernels share results that
  several pages compute (validated studies, audits; see :mod:`il2lib.memo`),
  so each is computed once per build;
* gives pages with no code each study's patient count as a MyST substitution
  (``{{ patients_after_pd1 }}``), read from the claim its ``study.yaml`` names, and the audit's
  headline counts (``{{ audit_rederived }}``, ``{{ audit_findings }}``, ...; see :func:`audit_counts`);
* records those files as dependencies of every page, so Sphinx re-reads the
  pages when they change;
* exports ``IL2_DATA_DIR`` so that the executing kernels read this book's
  data, and sets ``MPLBACKEND`` to the inline backend so that figures appear
  whatever backend the person building the book has configured;
* copies each executed page's notebook into the site (``_notebooks/``) and
  ends the page with a link to it, so a reader can download the chapter as an
  executed ``.ipynb`` (the download button offers the MyST source);
* prints each chapter and primer to a PDF handout (``_handouts/``) with headless Chromium once the
  HTML is written, reprinting only those older than their page, and links it at the end of the page;
  where Chromium or Playwright is missing, or ``IL2_HANDOUTS=0``, it says so in the log and links none
  (see :mod:`il2lib.handouts`, whose print stylesheet is ``chapters/_static/il2-print.css``);
* fills the execution cache by running the pages two at a time before Sphinx
  reads them (Jupyter Book 1 would run them one after another);
* removes the MathJax bundles that no page loads;
* ends the build process without a last garbage collection, which takes
  longer than anything else after the pages are written;
* keeps pages free of browser console errors: it drops the Thebe scripts
  (emitted twice, and naming a CDN) and gives the theme a default colour mode.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
from pathlib import Path

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

from il2lib import datasets, handouts, memo
from il2lib.exceptions import DataError

__all__ = ["setup", "inputs_digest", "input_files", "toc_pages", "patient_counts"]

_LOGGER = logging.getLogger(__name__)
_INPUT_DIRS = ("data", "il2lib")
_INPUT_FILES = ("requirements.lock",)   # the versions of lifelines, pandas, ... that computed the results
_SKIP_PARTS = {"__pycache__", ".pytest_cache"}


def input_files(root: Path) -> list[Path]:
    """Every file that can change what a page computes: ``data/``, ``il2lib/`` and the lock file."""
    files = [root / name for name in _INPUT_FILES if (root / name).is_file()]
    for folder in _INPUT_DIRS:
        files += [p for p in (root / folder).rglob("*") if p.is_file() and not _SKIP_PARTS & set(p.parts)]
    return sorted(files)


def inputs_digest(root: Path) -> str:
    """A short hash of the names and contents of :func:`input_files`."""
    return memo.files_digest(input_files(root), root)


_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _prepare_kernels_and_validate_data(app: Sphinx, config: Config) -> None:
    root = Path(app.srcdir)
    os.environ["IL2_DATA_DIR"] = str(root / "data")  # inherited by the kernels that execute pages
    os.environ["MPLBACKEND"] = _INLINE_BACKEND
    try:
        for study_id in datasets.studies():
            datasets.load(study_id)
    except DataError as err:
        raise ExtensionError(f"the embedded data are invalid, so no chapter was executed.\n{err}") from err
    config.myst_substitutions = {**config.myst_substitutions, **patient_counts()}


def audit_counts() -> dict[str, str]:
    """MyST substitutions ``audit_<count>`` for pages with no code: the headline counts of the whole audit.

    Re-derived matches, matches against a cited report and transcription-confirmed matches are separate
    counts, as are findings by strength and the printings they group.

    Examples
    --------
    >>> counts = audit_counts()
    >>> int(counts["audit_match"]) == sum(int(counts[k]) for k in ("audit_rederived", "audit_cited", "audit_transcription"))
    True
    """
    from il2lib import audit, report

    return {f"audit_{name}": str(value) for name, value in report.counts(audit.summary(audit.run())).items()}


def _give_pages_the_audit_counts(app: Sphinx, config: Config) -> None:
    config.myst_substitutions = {**config.myst_substitutions, **audit_counts()}


def patient_counts() -> dict[str, str]:
    """MyST substitutions ``patients_<study>`` for pages with no code: each study's patient count, as printed.

    The count comes from the claim that a study's ``study.yaml`` names as ``patients_claim``, so a page
    writes ``{{ patients_after_pd1 }}`` instead of typing the number a second time.

    Examples
    --------
    >>> patient_counts()["patients_after_pd1"]
    '57'
    """
    counts = {}
    for study_id in datasets.studies():
        study = datasets.load(study_id)
        if "patients_claim" in study.metadata:
            counts[f"patients_{study_id.replace('-', '_')}"] = study.claim(study.metadata["patients_claim"]).printed
    return counts


def _current_folder(root: Path, digest: str) -> Path:
    """``root/digest``, after removing the folders that older inputs left in ``root``."""
    if root.is_dir():
        for old in root.iterdir():
            if old.is_dir() and old.name != digest:
                shutil.rmtree(old)
    return root / digest


def _key_caches_on_inputs(app: Sphinx, config: Config) -> None:
    build = Path(app.outdir).parent
    digest = inputs_digest(Path(app.srcdir))
    config.nb_execution_cache_path = str(_current_folder(build / ".jupyter_cache", digest))
    os.environ[memo.ENV_VAR] = str(_current_folder(build / ".il2_memo", digest))  # inherited by the kernels


def toc_pages(root: Path) -> list[Path]:
    """The MyST notebook pages listed in ``_toc.yml`` (those with code cells), in order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names: list[str] = [toc["root"]]

    def collect(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(toc.get("parts", toc.get("chapters", [])))
    pages = [root / f"{name}.md" for name in names]
    return [p for p in pages if p.is_file() and "```{code-cell}" in p.read_text(encoding="utf-8")]


def _execute_in_parallel(app: Sphinx, config: Config) -> None:
    """Run every page that the execution cache does not hold yet, one per core at a time, before Sphinx reads them.

    Jupyter Book 1 executes pages one after another while it reads them.  Filling its cache first lets
    the build find every page already run.  Each page gets a fresh kernel, run by jupyter-cache's own
    worker; pages are handed out one at a time (jupyter-cache's ``local-parallel`` executor hands them
    out in fixed pairs, which leaves a core idle at the end).  If a cell raises, the build stops here with
    every failing page and its traceback, rather than running the page a second time to report it.
    """
    if config.nb_execution_mode != "cache":
        return
    from jupyter_cache import get_cache

    cache = get_cache(config.nb_execution_cache_path)
    jobs = _pages_to_run(cache, toc_pages(Path(app.srcdir)), config.nb_execution_timeout)
    _LOGGER.info(f"executing {len(jobs)} page(s) on {os.cpu_count()} core(s)")
    if not jobs:
        return
    failed = _run_pages(cache, jobs)
    if failed:
        report = [f"{Path(uri).relative_to(app.srcdir)}: {_cell_error(traceback)}" for uri, traceback in failed]
        raise ExtensionError(f"{len(failed)} page(s) failed to execute, so the book was not built.\n\n"
                             + "\n\n".join(sorted(report)))


def _pages_to_run(cache, pages: list[Path], timeout: int) -> list:
    """jupyter-cache's job for each page whose code has no cached execution, in table-of-contents order."""
    from jupyter_cache.executors.basic import ProcessData

    uris = [str(page) for page in pages]
    for uri in uris:
        cache.add_nb_to_project(uri, read_data={"name": "myst_nb_md", "type": "plugin"})
    stale = {record.uri: record.pk for record in cache.list_unexecuted(filter_uris=uris)}
    return [ProcessData(stale[uri], uri, cache, timeout, False) for uri in uris if uri in stale]


def _run_pages(cache, jobs: list) -> list[tuple[str, str]]:
    """Run the jobs, one per core at a time, while a side process files every study's audit; return the failures.

    Returns
    -------
    list of (str, str)
        The path and traceback of each page where a cell raised.
    """
    import multiprocessing

    from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc

    audits = multiprocessing.Process(target=_audit_every_study, daemon=True)
    audits.start()   # several pages show audits: they wait for these rather than each computing them
    failed = []
    with multiprocessing.Pool(processes=min(len(jobs), os.cpu_count() or 1)) as pool:
        for status, uri in pool.imap_unordered(ExecutionWorkerLocalMProc(), jobs, chunksize=1):
            if status == 1:   # a cell raised; jupyter-cache kept the traceback
                failed.append((uri, cache.get_project_record(uri).traceback))
            elif status != 0:
                _LOGGER.info(f"{uri} could not be run in parallel; the build will run it and report why")
    audits.join()
    return failed


def _cell_error(traceback: str) -> str:
    """The part of an execution traceback that shows the failing cell and its error (not nbclient's own frames)."""
    start = traceback.find("An error occurred while executing")
    return traceback[start:] if start >= 0 else traceback


def _audit_every_study() -> None:
    """File every study's audit in the build's results (:mod:`il2lib.memo`); a page that needs one waits for it.

    Errors are left to the pages: one that needs a failed audit computes it itself and fails with the message.
    """
    from il2lib import audit

    try:
        audit.run()
    except Exception:  # noqa: BLE001 - reported by the page that needs the result
        pass


def _note_inputs(app: Sphinx, docname: str, source: list[str]) -> None:
    for path in input_files(Path(app.srcdir)):
        app.env.note_dependency(str(path))


def _offer_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Copy the page's executed notebook into the site and link it at the end of the page."""
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file() or "body" not in context:
        return
    target = Path(app.outdir) / "_notebooks" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, target)
    href = "../" * pagename.count("/") + f"_notebooks/{pagename}.ipynb"
    context["body"] += (f'<p class="il2-notebook-link">Download this page as an executed Jupyter notebook: '
                        f'<a href="{href}" download>{Path(pagename).name}.ipynb</a>.</p>')


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Remove the Thebe scripts: launch buttons are off, and they name a CDN and are emitted twice.

    sphinx-thebe writes its inline ``THEBE_JS_URL`` script twice into every page, which the browser
    reports as an error ("Identifier 'THEBE_JS_URL' has already been declared"); the book has no live
    code cells, so none of it is needed.
    """
    scripts = context.get("script_files")
    if scripts is not None:
        context["script_files"] = [s for s in scripts if "THEBE_JS_URL" not in (getattr(s, "attributes", {}) or {})
                                   .get("body", "") and "sphinx-thebe" not in str(s)]


def _keep_only_the_mathjax_in_use(app: Sphinx, exception: Exception | None) -> None:
    """Remove the MathJax bundles that no page loads (about 14 MB of the 24 MB ``sphinx-mathjax-offline`` copies).

    Pages load one combined bundle (``mathjax_path``, ``tex-chtml.js``); it fetches fonts, TeX extensions,
    the menu and the accessibility tools from the sub-folders on demand, so those all stay.  The other
    combined bundles (SVG output, MathML input, the "full" builds, a loader for Node and one for the CDN)
    are never requested.
    """
    folder = Path(app.outdir) / "_static" / "mathjax"
    if exception is not None or not folder.is_dir():
        return
    keep = {Path(app.config.mathjax_path).name, "core.js", "loader.js", "startup.js"}
    for bundle in folder.glob("*.js"):
        if bundle.name not in keep:
            bundle.unlink()


def _light_mode_by_default(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give the theme a default colour mode: without one, a first visit logs "Got invalid theme mode"."""
    if not context.get("default_mode"):
        context["default_mode"] = "light"


def setup(app: Sphinx) -> dict:
    """Register the handlers (Sphinx entry point)."""
    # When the build ends, Python's last garbage collection walks every object the build made (about 0.6 s
    # here) only to free memory that the operating system takes back anyway: freezing them skips that walk.
    atexit.register(gc.freeze)
    app.setup_extension("il2lib.sphinx_pages")   # the site's stylesheet and scripts, numbered tables
    app.connect("config-inited", _key_caches_on_inputs, priority=100)
    app.connect("config-inited", _prepare_kernels_and_validate_data, priority=110)
    app.connect("config-inited", _execute_in_parallel, priority=200)
    app.connect("config-inited", _give_pages_the_audit_counts, priority=210)  # the pages filed the audits
    app.connect("html-page-context", _light_mode_by_default)
    app.connect("source-read", _note_inputs)
    app.connect("html-page-context", _offer_notebook)
    app.add_config_value("il2_handouts", [], "html")   # the pages that get a PDF handout (set at config-inited)
    app.add_css_file(handouts.STYLESHEET)
    app.connect("config-inited", handouts.configure)
    app.connect("html-page-context", handouts.link_handout)   # after the notebook's link
    app.connect("build-finished", handouts.make_handouts, priority=950)   # once the site is complete
    app.connect("html-page-context", _drop_thebe)
    app.connect("build-finished", _keep_only_the_mathjax_in_use, priority=900)  # after sphinx-mathjax-offline copies it
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
