"""Generated bad input never crashes, hangs or writes: it is accepted, judged, or refused naming the file.

Complements ``test_bad_input.py`` (hand-written mistakes, and damaged CSV bytes read by ``datasets.load``)
with generated damage to the other files, each example in a fresh copy of a study under a new temporary
data folder (so the per-fingerprint cache of :func:`il2lib.datasets.load` never answers for another example):

* ``study.yaml`` of after-pd1: a key anywhere in it (top level, ``citation``, ``tables`` and each table's
  keys, the ``reconstruction:`` block) deleted, given an unknown sibling, or given a generated YAML value:
  any nesting of null, booleans, integers (400 digits too), floats (nan, inf), text and names of claims,
  files and units, or its own value in another shape (as text, in a list, in a mapping, negated, enlarged);
* the blocks a study's own module reads (``reconstruction:``, ``tables:``, ``dates:``, ``histologies:``,
  ``reports:``), in each of the four studies, replaced by a generated value or damaged inside;
* ``premises.yaml`` and ``findings.yaml``: replaced by any generated YAML value, or the real document damaged;
* hand cases of YAML a loader can choke on: syntax errors, a tab, two documents, tags, a merge key, an alias
  bomb (refused at once), a duplicate key, and nesting deep enough to exhaust a recursive reader (one in a
  child process, since it can kill the interpreter);
* cells of after-pd1's ``claims.csv``, rewritten with the csv module so that the file stays well-formed:
  ``printed``, ``unit``, ``expected``, ``restates`` and the ten relation columns given 400-digit numbers,
  negatives, inf, nan, none, 1e308, words, ids of this or no claim, links to other studies, ``?labels``,
  expressions joined by + and -, unicode, or blanks.

Every example runs the commands a user runs, ``il2 validate`` and, when it passes, ``il2 audit``, and
asserts: status 0, 1 or 2, never 3 (an internal error) nor an escaped exception; audit does not refuse what
validate accepted; on 2, stderr names a path under the data folder; no "Traceback" in stderr; no byte of any
file in the data folder changed; the example ends within :data:`TIME_BOUND` seconds (an alarm stops a hang).
Where the damage is plainly invalid by the documented schema (a required key deleted, a list or a number
where a text is expected, a verdict that is not one, a printed number that is infinite or past 10^12, an id
that names no claim), the status must be 2.  When after-pd1's ``reconstruction:`` block is accepted, the
study module reads it (the targets the chapter rebuilds from) without an exception: what validate accepts,
the code that reads the block accepts.  No shrinking: a failure is reported as generated, in seconds.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from il2lib import cli, datasets
from il2lib.studies import after_pd1

STUDY = "after-pd1"
#: Seconds one example may take, validate and audit together (measured, and enforced by an alarm).
TIME_BOUND = 20.0
#: Studies that restate another study's claims and so need it beside them in the data folder.
PARTNERS = {"stable-disease": ["successive-courses"], "long-term-pfs": ["successive-courses"]}
#: Settings of every fuzz test: no per-example deadline (TIME_BOUND is ours), and no shrinking, so that a
#: known bug fails in seconds rather than minutes (the failing example is printed as generated).
FUZZ = dict(deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

KeyPath = tuple[Any, ...]   # a key path into a YAML document


# --- running the command on a fresh copy --------------------------------------------------------------------

class Hang(BaseException):
    """Raised by the alarm; a BaseException, so that the CLI's catch-all cannot turn it into exit 3."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def pristine() -> Iterator[Path]:
    """One untouched copy of the data, for partner studies linked (not copied) into each example's folder:
    its studies keep one fingerprint, so they are validated once for the whole module."""
    folder = Path(tempfile.mkdtemp(prefix="il2-fuzz-pristine-"))
    shutil.copytree(ROOT / "data", folder / "data")
    yield folder / "data"
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def fresh_study(monkeypatch, pristine: Path, study: str = STUDY) -> Iterator[Path]:
    """A new data folder holding a copy of ``study`` (and links to the studies it restates); il2lib reads it."""
    root = Path(tempfile.mkdtemp(prefix="il2-fuzz-"))
    data = root / "data"
    shutil.copytree(pristine / study, data / study)
    for partner in PARTNERS.get(study, []):
        (data / partner).symlink_to(pristine / partner, target_is_directory=True)
    monkeypatch.setenv("IL2_DATA_DIR", str(data))
    try:
        yield data / study
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _files(data: Path) -> dict[str, bytes]:
    found = {}
    for folder, _, names in os.walk(data, followlinks=True):
        for name in names:
            found[os.path.join(folder, name)] = Path(folder, name).read_bytes()
    return found


def _named_paths(err: str, data: Path) -> list[str]:
    return re.findall(re.escape(str(data)) + r"/[^\s:,']+", err)


def run_il2(study_dir: Path, capsys) -> tuple[int, str]:
    """``il2 validate`` (and ``il2 audit`` if it passes) on the data folder holding ``study_dir``, with every
    general assertion of the module; the status of validate, and stderr."""
    data = study_dir.parent
    before = _files(data)
    start = time.perf_counter()
    with _time_limit(TIME_BOUND + 5):
        status = cli.main(["validate"])
        err = capsys.readouterr().err
        audited = None
        if status == cli.AS_EXPECTED:
            audited = cli.main(["audit"])
            err += capsys.readouterr().err
    elapsed = time.perf_counter() - start
    _note(f"validate -> {status}, audit -> {audited}, {elapsed:.2f} s\n{err}")
    assert status in (cli.AS_EXPECTED, cli.BAD_INPUT), err      # validate has no status 1
    assert audited in (None, cli.AS_EXPECTED, cli.NOT_AS_EXPECTED), f"audit refused what validate accepted\n{err}"
    assert "Traceback" not in err, err
    if status == cli.BAD_INPUT:
        assert _named_paths(err, data), f"status 2 without a file of {data} named:\n{err}"
    assert elapsed < TIME_BOUND, f"{elapsed:.1f} s"
    assert _files(data) == before, "a file in the data folder changed"
    return status, err


def _note(text: str) -> None:
    """Keep ``text`` with a failing example (a hand case has no example to keep it with)."""
    try:
        note(text)
    except InvalidArgument:
        pass


def refused(status: int) -> bool:
    return status == cli.BAD_INPUT


# --- generated YAML values ----------------------------------------------------------------------------------

CLAIM_IDS: list[str] = [row["id"] for row in csv.DictReader(
    io.StringIO((ROOT / "data" / STUDY / "claims.csv").read_text(encoding="utf-8"), newline=""))]
HUGE = 10**400
#: Strings that reach deeper than random text: names of claims, files, schemas, units and the block's words.
WORDS = ["abs-patients", "r-comparators", "rs-os-mel", "rs-fu-mel-max", "t1-mel-n", "nope-zz", "after-pd1",
         "claims.csv", "cohort.csv", "study.yaml", "README.md", "premises.yaml", ".", "..", "../claims.csv",
         "cohort_sizes", "claims", "months", "years", "km", "known_status", "OS", "PFS", "melanoma", "renal_cell",
         "SD", "{abs-patients}", "{nope}", "", " ", "null", "~", "0.5", "2019", "2019-01-01", "inf", "nan",
         "not reached", "first_treatment", "last_treatment", "follow_up_to", "ü", "\u202e", "\t", "a\nb"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(HUGE, 10 * HUGE), st.integers(-10 * HUGE, -HUGE),
    st.floats(), st.text(max_size=12), st.sampled_from(WORDS))
keys = st.one_of(st.sampled_from(WORDS), st.text(max_size=8), st.integers(-3, 3), st.none(), st.booleans())
yaml_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=12)


def retyped(value: Any) -> st.SearchStrategy[Any]:
    """The value a key had, in another type or shape: as text, in a list, in a mapping, negated, enlarged,
    emptied, with a suffix."""
    variants: list[Any] = [str(value), [value], {"value": value}, None, "", {}, [], float("nan"), True]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        variants += [-value, value * (HUGE if isinstance(value, int) else 1e300), float("inf"), f"{value}x"]
    if isinstance(value, str):
        variants += [value + "-01", value + " ", value.upper(), value + "x", f"{{{value}}}"]
    if isinstance(value, (dict, list)) and value:
        variants += [list(value), dict.fromkeys(value, None) if isinstance(value, dict) else value[:1] * 3]
    return st.sampled_from(variants)


def dump(document: Any) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def key_paths(node: Any, prefix: KeyPath = ()) -> list[KeyPath]:
    """Every key path in a document (mapping keys and list indices), outermost first."""
    paths: list[KeyPath] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        paths.append((*prefix, key))
        paths += key_paths(value, (*prefix, key))
    return paths


def parent_of(document: Any, path: KeyPath) -> Any:
    for key in path[:-1]:
        document = document[key]
    return document


def damage(document: Any, data: st.DataObject, root: KeyPath = ()) -> tuple[str, KeyPath, Any]:
    """Damage ``document`` in place at a key path under ``root``: delete it, replace its value with a
    generated one, or add an unknown key beside it.  Returns what was done, where, and the value."""
    paths = key_paths(parent_of(document, (*root, None)), root) if root else key_paths(document)
    if data.draw(st.booleans(), label="outermost keys only"):   # as likely as all the deeper ones together
        paths = [path for path in paths if len(path) == len(root) + 1]
    path = data.draw(st.sampled_from(paths), label="path")
    action = data.draw(st.sampled_from(["delete", "replace", "replace", "add"]), label="action")
    parent = parent_of(document, path)
    value = None if action == "delete" else data.draw(yaml_values | retyped(parent[path[-1]]), label="value")
    if action == "delete":
        del parent[path[-1]]
    elif action == "replace":
        parent[path[-1]] = value
    elif isinstance(parent, dict):
        parent[data.draw(st.text(string.ascii_lowercase + "_", min_size=1, max_size=8), label="new key") + "_x"] = value
    else:
        parent.append(value)
    return action, path, value


def _study_yaml(study: str = STUDY) -> dict:
    return yaml.safe_load((ROOT / "data" / study / "study.yaml").read_text(encoding="utf-8"))


# --- what the schema plainly requires of after-pd1's study.yaml (data/README.md, il2lib/_settings.py) -------

def _after_pd1_schema() -> tuple[set[KeyPath], set[KeyPath], set[KeyPath]]:
    """Key paths that must be present, that hold a text, and that hold a mapping."""
    doc = _study_yaml()
    spec = doc["reconstruction"]
    required = {(k,) for k in datasets.REQUIRED_METADATA} | {("reconstruction",), ("citation", "authors"),
                                                             ("citation", "year")}
    required |= {("tables", t, k) for t in doc["tables"] for k in ("file", "schema", "source", "description")}
    required |= {("reconstruction", k) for k in ("time_unit", "landmark_kind", "comparisons", "follow_up",
                                                 "comparator_assumption")}
    required |= {("reconstruction", "comparisons", f, k) for f in spec["comparisons"]
                 for k in ("endpoint", "histology", "after_pd1", "alone")}
    required |= {("reconstruction", "follow_up", h, k) for h in spec["follow_up"] for k in ("median", "min", "max")}
    required |= {("reconstruction", "comparator_assumption", k) for k in ("total", "melanoma_share", "min_months",
                                                                          "max_months")}
    texts = {(k,) for k in ("id", "title", "source_file", "design", "population", "regimen", "claims")}
    texts |= {("citation", "authors"), ("reconstruction", "time_unit"), ("reconstruction", "landmark_kind"),
              ("reconstruction", "comparator_assumption", "total")}
    texts |= {("tables", t, k) for t in doc["tables"] for k in ("file", "schema")}
    texts |= {("reconstruction", "comparisons", f, k) for f in spec["comparisons"] for k in ("endpoint", "histology")}
    texts |= {("reconstruction", "follow_up", h, k) for h in spec["follow_up"] for k in ("median", "min", "max")}
    mappings = {("citation",), ("reconstruction",)} | {("tables", t) for t in doc["tables"]}
    mappings |= {("reconstruction", k) for k in ("comparisons", "follow_up", "comparator_assumption")}
    mappings |= {("reconstruction", "comparisons", f) for f in spec["comparisons"]}
    mappings |= {("reconstruction", "follow_up", h) for h in spec["follow_up"]}
    return required, texts, mappings


REQUIRED, TEXTS, MAPPINGS = _after_pd1_schema()


def plainly_invalid(action: str, path: KeyPath, value: Any) -> bool:
    """Whether a damage to after-pd1's study.yaml breaks what the documented schema requires."""
    if action == "delete":
        return path in REQUIRED
    if action != "replace":
        return False
    if path in TEXTS:
        return not isinstance(value, str)
    if path in MAPPINGS:
        return not isinstance(value, dict)
    return path == ("tables",) and value is not None and not isinstance(value, dict)


def check_reconstruction_readers(study_dir: Path) -> None:
    """The after-pd1 module reads an accepted ``reconstruction:`` block without an exception (what the
    chapter does before it fits any curve)."""
    study = datasets.load(STUDY)
    spec = study.metadata["reconstruction"]
    for figure in spec["comparisons"]:
        for share in [None, *spec["comparator_assumption"].get("sensitivity_shares", [])]:
            after_pd1.summaries(study, figure, share=share)


# --- study.yaml ----------------------------------------------------------------------------------------------

@settings(max_examples=25, **FUZZ)
@given(data=st.data())
def test_any_key_of_study_yaml_damaged_is_read_or_refused(monkeypatch, capsys, pristine, data):
    document = _study_yaml()
    action, path, value = damage(document, data)
    with fresh_study(monkeypatch, pristine) as folder:
        (folder / "study.yaml").write_text(dump(document), encoding="utf-8")
        status, _ = run_il2(folder, capsys)
        if plainly_invalid(action, path, value):
            assert refused(status), f"{action} {path} -> {value!r} accepted"
        if not refused(status):
            check_reconstruction_readers(folder)


BLOCKS = [("after-pd1", "reconstruction"), ("after-pd1", "tables"), ("stable-disease", "reconstruction"),
          ("stable-disease", "dates"), ("successive-courses", "dates"), ("successive-courses", "histologies"),
          ("long-term-pfs", "reports")]


@pytest.mark.parametrize(("study", "block"), BLOCKS, ids=[f"{s}-{b}" for s, b in BLOCKS])
@settings(max_examples=8, **FUZZ)
@given(data=st.data())
def test_a_block_a_study_module_reads_replaced_or_damaged_is_read_or_refused(monkeypatch, capsys, pristine, data,
                                                                            study, block):
    document = _study_yaml(study)
    if data.draw(st.booleans(), label="replace the whole block"):
        document[block] = junk = data.draw(yaml_values | retyped(document[block]), label="block")
        must_refuse = not isinstance(junk, dict) and not (block == "tables" and junk is None)
    else:
        damage(document, data, root=(block,))
        must_refuse = False
    with fresh_study(monkeypatch, pristine, study) as folder:
        (folder / "study.yaml").write_text(dump(document), encoding="utf-8")
        status, _ = run_il2(folder, capsys)
        if must_refuse:
            assert refused(status), f"{block}: {document[block]!r} accepted"
        if study == STUDY and not refused(status):
            check_reconstruction_readers(folder)


@pytest.mark.parametrize(("old", "new"), [
    ("melanoma_share: 0.5", 'melanoma_share: "0.5"'),
    ("sensitivity_shares: [0.3, 0.7]", 'sensitivity_shares: ["0.3", 0.7]'),
    ("Fig. 1a: {endpoint: OS, histology: melanoma,", "Fig. 1a: {endpoint: OS, histology: skin,"),
    ("    melanoma: {median: rs-fu-mel, min: rs-fu-mel-min, max: rs-fu-mel-max}\n", ""),
], ids=["share-as-text", "sensitivity-share-as-text", "histology-without-follow-up", "follow-up-left-out"])
def test_a_reconstruction_block_that_validates_is_one_the_module_can_read(monkeypatch, capsys, pristine, old, new):
    """Hand cases of what the fuzz above meets rarely: values pydantic coerces or names it does not cross-check."""
    with fresh_study(monkeypatch, pristine) as folder:
        path = folder / "study.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), encoding="utf-8")
        if not refused(run_il2(folder, capsys)[0]):
            check_reconstruction_readers(folder)


# --- premises.yaml and findings.yaml -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["premises.yaml", "findings.yaml"])
@settings(max_examples=15, **FUZZ)
@given(data=st.data())
def test_a_premises_or_findings_file_of_generated_yaml_is_read_or_refused(monkeypatch, capsys, pristine, data,
                                                                          name):
    whole = data.draw(st.booleans(), label="replace the whole document")
    if whole:
        document = data.draw(yaml_values, label="document")
    else:
        document = yaml.safe_load((ROOT / "data" / STUDY / name).read_text(encoding="utf-8"))
        damage(document, data)
    with fresh_study(monkeypatch, pristine) as folder:
        (folder / name).write_text(dump(document), encoding="utf-8")
        status, _ = run_il2(folder, capsys)
        if whole:   # generated junk never fits the schema (a list of entries each with its required keys)
            assert refused(status)


# --- YAML a loader can choke on (hand cases) -----------------------------------------------------------------

ALIAS_BOMB = "bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"bomb{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 9)}]\n" for i in range(1, 10))


@pytest.mark.parametrize(("name", "old", "new", "expected"), [
    ("study.yaml", "title:", "title: [unclosed, list\nxtitle:", "not valid YAML"),
    ("study.yaml", "title:", "\ttitle:", "not valid YAML"),
    ("study.yaml", "claims: claims.csv", "claims: claims.csv\n---\nid: another", "not valid YAML"),
    ("study.yaml", "title:", "title: !!python/object/apply:os.getcwd []\nxtitle:", "not valid YAML"),
    ("study.yaml", "title:", "base: &base {a: 1}\nmerged:\n  <<: *base\ntitle:", "alias"),
    ("study.yaml", "title:", ALIAS_BOMB + "title:", "alias"),
    ("premises.yaml", "premises:", ALIAS_BOMB + "premises:", "alias"),
    ("findings.yaml", "findings:", ALIAS_BOMB + "findings:", "alias"),
    ("findings.yaml", "findings:", "findings: {\n", "not valid YAML"),
    ("study.yaml", "melanoma_share: 0.5", "melanoma_share: 0.5\n    melanoma_share: 0.7", "melanoma_share"),
    ("study.yaml", "title:", "deep: " + "[" * 3000 + "]" * 3000 + "\ntitle: [not, a, title]\nxtitle:", "nested more than 40 levels"),
], ids=["unclosed-list", "tab", "two-documents", "python-tag", "merge-key", "alias-bomb-study", "alias-bomb-premises",
        "alias-bomb-findings", "unclosed-mapping", "duplicate-key", "deep-nesting-and-a-problem"])
def test_yaml_that_a_loader_chokes_on_is_refused_quickly_naming_the_file(monkeypatch, capsys, pristine, name, old,
                                                                         new, expected):
    with fresh_study(monkeypatch, pristine) as folder:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        start = time.perf_counter()
        status, err = run_il2(folder, capsys)
        assert time.perf_counter() - start < 5
        assert refused(status), err
        assert f"{path}: " in err and expected in err, err


def test_yaml_nested_deeper_than_a_loader_can_recurse_is_refused_not_a_crash(tmp_path):
    """30,000 nested lists in study.yaml (60 KB): in a child process, since a crash would end this one."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / STUDY, data / STUDY)
    path = data / STUDY / "study.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title:", "deep: " + "[" * 30000 + "]" * 30000 + "\ntitle:", 1), encoding="utf-8")
    before = _files(data)
    command = [sys.executable, "-c", "import sys; from il2lib import cli; sys.exit(cli.main(['validate']))"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIME_BOUND, cwd=ROOT,
                            env=os.environ | {"IL2_DATA_DIR": str(data)})
    assert result.returncode == cli.BAD_INPUT, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and str(path) in result.stderr
    assert _files(data) == before


# --- claims.csv cells ----------------------------------------------------------------------------------------

def _tagged(tag: str, strategy: st.SearchStrategy) -> st.SearchStrategy[tuple[str, str]]:
    """Values labelled with their kind, so that the test knows which ones the schema plainly refuses."""
    return st.tuples(st.just(tag), strategy)


NOT_NUMBERS = ["inf", "-inf", "nan", "NaN", "Infinity", "1e308", "-1e308", "1e-308"]
unknown_ids = st.from_regex(r"[a-z]{3,8}-[a-z]{2,5}-zz", fullmatch=True)
terms = st.one_of(st.sampled_from(CLAIM_IDS), st.integers(-10 * HUGE, 10 * HUGE).map(str),
                  st.sampled_from(["0", "-5", "inf", "nan", "1e308", "?x", "none", "not reached"]), unknown_ids)
expressions = st.builds(
    lambda first, rest: first + "".join(op + term for op, term in rest), terms,
    st.lists(st.tuples(st.sampled_from([" + ", " - ", "+", "-", " / ", "; ", " * "]), terms), max_size=4))
cell_values = st.one_of(
    _tagged("huge", st.integers(HUGE // 10, HUGE - 1).map(str)),
    _tagged("huge", st.integers(HUGE // 10, HUGE - 1).map(lambda n: f"-{n}")),
    _tagged("negative", st.integers(-10**6, -1).map(str)),
    _tagged("not a number", st.sampled_from(NOT_NUMBERS)),
    _tagged("word", st.sampled_from(["none", "None", "zero", "Seventeen", "nearly a quarter", "over fivefold",
                                     "not reached", "two-thirds", "1990s", "10+", ">50", "≥5", "<1", "2:1", "0:1",
                                     "-fold", "0-fold", "nearly", "about -5", ">-5", "-5+", "match", "patients",
                                     "%", "months", "year", "p", "2 years", "2 years, known status"])),
    _tagged("word", st.text(string.ascii_lowercase, min_size=1, max_size=10)),
    _tagged("id", st.sampled_from(CLAIM_IDS)),
    _tagged("unknown id", unknown_ids),
    _tagged("link", st.sampled_from(["after-pd1:abs-patients", "successive-courses:t1-total-all-total-n",
                                     "nope:abs-patients", ":", "a:b:c", "after-pd1:"])),
    _tagged("label", st.from_regex(r"\?[a-z0-9-]{0,8}", fullmatch=True)),
    _tagged("expression", expressions),
    _tagged("unicode", st.text(max_size=8)),
    _tagged("empty", st.sampled_from(["", " ", " \t "])),
)
VALUE_COLUMNS = ["printed", "unit", "expected", "restates"]
RELATION_COLUMNS = ["of", "count", "sum_of", "at_least", "at_most", "median", "landmark", "same_as", "partition",
                    "ratio_of"]
#: Columns whose words name claims of the file (an id naming none is refused).
ID_COLUMNS = {"restates", "of", "count", "sum_of", "at_least", "at_most", "median", "landmark", "same_as", "ratio_of"}


def cell_plainly_invalid(column: str, tag: str, value: str) -> bool:
    """Whether a cell breaks what data/README.md plainly requires of its column (spaces around a value are
    dropped when a file is read, so a cell of spaces is empty)."""
    value = value.strip()
    if column == "printed":
        return tag in ("huge", "not a number", "label", "empty")
    if column == "expected":
        return value not in ("match", "contradicted", "unverifiable", "")
    if column == "unit":
        return value == ""
    return column in ID_COLUMNS and tag == "unknown id"


def rewrite_claims(path: Path, edits: list[tuple[str, str, str]]) -> None:
    """Set each (claim id, column, value) in a claims file, through the csv module (the file stays well-formed)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    by_id = {row[0]: row for row in rows[1:] if row}
    for claim_id, column, value in edits:
        by_id[claim_id][header.index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def cell_edits(columns: list[str]) -> st.SearchStrategy[list[tuple[str, str, tuple[str, str]]]]:
    """One or two cells of after-pd1's claims file, each given a generated value (few, so that one refused
    cell does not hide what another would reach)."""
    return st.lists(st.tuples(st.sampled_from(CLAIM_IDS), st.sampled_from(columns), cell_values),
                    min_size=1, max_size=2, unique_by=lambda edit: edit[:2])


def check_claims_edits(monkeypatch, capsys, pristine: Path, edits: list[tuple[str, str, tuple[str, str]]]) -> None:
    with fresh_study(monkeypatch, pristine) as folder:
        rewrite_claims(folder / "claims.csv", [(claim, column, value) for claim, column, (_, value) in edits])
        status, _ = run_il2(folder, capsys)
        invalid = [edit for edit in edits if cell_plainly_invalid(edit[1], *edit[2])]
        if invalid:
            assert refused(status), f"accepted {invalid}"
        if not refused(status):
            check_reconstruction_readers(folder)


@settings(max_examples=30, **FUZZ)
@given(edits=cell_edits(VALUE_COLUMNS))
def test_any_generated_printed_unit_verdict_or_restatement_is_judged_or_refused(monkeypatch, capsys, pristine,
                                                                                edits):
    check_claims_edits(monkeypatch, capsys, pristine, edits)


@settings(max_examples=30, **FUZZ)
@given(edits=cell_edits(RELATION_COLUMNS))
def test_any_generated_relation_between_claims_is_judged_or_refused(monkeypatch, capsys, pristine, edits):
    check_claims_edits(monkeypatch, capsys, pristine, edits)


@settings(max_examples=15, **FUZZ)
@given(claim=st.sampled_from(["r-comparators", "rs-fu-mel", "rs-fu-mel-min", "rs-fu-mel-max", "rs-os-mel",
                              "rs-os-mel-alone", "rs-pfs-rcc"]),
       value=cell_values)
def test_a_claim_the_reconstruction_block_names_with_any_printed_value_is_read_or_refused(monkeypatch, capsys,
                                                                                         pristine, claim, value):
    """The claims ``reconstruction:`` names are read by the module as numbers: they get the same values."""
    with fresh_study(monkeypatch, pristine) as folder:
        rewrite_claims(folder / "claims.csv", [(claim, "printed", value[1])])
        if not refused(run_il2(folder, capsys)[0]):
            check_reconstruction_readers(folder)
