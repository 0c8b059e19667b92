"""One reader for every text file the tools read: CSV tables, claims files and YAML.

Every problem a person writing a new paper's files meets first becomes a
:class:`~il2lib.exceptions.DataError` that names the file and the line, says
what was expected and how to fix it, before anything else runs: bytes that
are not UTF-8 (a CSV saved by Excel in Windows-1252), a NUL byte, an empty
file, a header that names a column twice, a row with more or fewer values
than the header (a comma inside an unquoted value), a quote left open, YAML
anchors and aliases.  UTF-8 with or without a byte-order mark is read alike,
and a row's line number is the physical line where it starts, blank lines and
quoted line breaks counted.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from il2lib.exceptions import DataError

__all__ = ["LineNumbers", "read_text", "read_csv", "load_yaml", "LOADER", "MAX_DEPTH"]

#: The safe YAML loader, in C where PyYAML was built with libyaml (same documents, several times faster).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESAVE = "re-save it as UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)')"


def read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (a leading byte-order mark is dropped).

    Raises
    ------
    DataError
        If the file is missing or unreadable, is not UTF-8 (naming the line and byte), or holds a NUL byte.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_bytes(b"id,note\\nabs-n,caf\\xe9\\n")
    >>> try:
    ...     read_text(path)
    ... except DataError as err:
    ...     print(err.problems[0].split(": ", 1)[1].split(";")[0])
    line 2, byte 10 is 0xE9, which is not UTF-8
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError([f"{path}: file not found"]) from None
    except OSError as err:
        raise DataError([f"{path}: cannot be read ({err.strerror or err})"]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        byte = err.start - data.rfind(b"\n", 0, err.start)
        raise DataError([f"{path}: line {line}, byte {byte} is 0x{data[err.start]:02X}, which is not UTF-8; "
                         f"{_RESAVE}"]) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError([f"{path}: line {line} holds a NUL byte; the file is damaged or is not text"])
    return text


class LineNumbers(tuple):
    """The line where each row of a file starts: a tuple that pandas can carry in ``DataFrame.attrs``
    without copying it (pandas deep-copies ``attrs`` in every operation, which made a long file's
    validation quadratic).

    >>> import copy
    >>> lines = LineNumbers([2, 3, 5])
    >>> copy.deepcopy(lines) is lines, lines[2]
    (True, 5)
    """

    __slots__ = ()

    def __deepcopy__(self, memo: dict) -> "LineNumbers":
        return self


def read_csv(path: Path) -> tuple[pd.DataFrame, LineNumbers]:
    """A CSV file as a frame of text cells (nothing converted), and the line where each row starts.

    Blank lines are skipped; a quoted value may span lines; spaces around a value are dropped (a cell of
    spaces is empty).

    Raises
    ------
    DataError
        As :func:`read_text`, and for an empty file, a header naming a column twice, a row whose number of
        values differs from the header's, or a quote left open; one problem per line.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text('id,note\\n\\na,"two\\nlines"\\nb,one\\n', encoding="utf-8")
    >>> frame, lines = read_csv(path)
    >>> frame["id"].tolist(), list(lines)
    (['a', 'b'], [3, 5])
    """
    text = read_text(path)
    if not text.strip():
        raise DataError([f"{path}: the file is empty; expected a header row naming the columns"])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        header = next(reader)
        problems += _header_problems(path, header)
        start = reader.line_num + 1
        for record in reader:
            if record and any(record):
                if len(record) != len(header):
                    problems.append(f"{path}: line {start}: {len(record)} values, expected {len(header)} as in the "
                                    "header (a value holding a comma must be in double quotes)")
                rows.append([cell.strip() for cell in record])   # a cell of spaces is empty
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        problems.append(f"{path}: line {reader.line_num}: {err} (a quote opened and never closed?)")
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows, columns=header, dtype=str), LineNumbers(lines)


def _header_problems(path: Path, header: list[str]) -> list[str]:
    problems = [f"{path}: line 1: column {name!r} is named {times} times in the header; expected each once"
                for name, times in Counter(header).items() if times > 1]
    if "" in header:
        problems.append(f"{path}: line 1: column {header.index('') + 1} of the header has no name")
    return problems


def load_yaml(path: Path) -> tuple[Any, str]:
    """A YAML file's document, and its text, read safely.

    Anchors and aliases (``&name``, ``*name``) are refused: the study files need none, and a few nested
    aliases can expand to more than memory holds.  So are a key given twice in one mapping (YAML forbids it;
    a parser would silently keep the last) and nesting deeper than :data:`MAX_DEPTH` levels.

    Raises
    ------
    DataError
        As :func:`read_text`, for YAML that does not parse (with its line), an alias, a duplicate key or
        nesting too deep.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "s.yaml"
    >>> _ = path.write_text("a: &x [1, 2]\\nb: *x\\n", encoding="utf-8")
    >>> try:
    ...     load_yaml(path)
    ... except DataError as err:
    ...     print(err.problems[0].split(": ", 1)[1])
    line 2: an alias (*x); anchors and aliases are not allowed in these files, write the value out
    """
    text = read_text(path)
    _refuse_deep_brackets(path, text)   # before any parser sees it: libyaml recurses on nesting
    try:
        _check_events(path, yaml.parse(text, Loader=LOADER))
        return yaml.load(text, Loader=LOADER), text
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise DataError([f"{path}: {where}not valid YAML ({getattr(err, 'problem', None) or err})"]) from None


#: How deeply the YAML files may nest mappings and lists (the deepest study file nests 5 levels).
MAX_DEPTH = 40


def _refuse_deep_brackets(path: Path, text: str) -> None:
    """Refuse flow collections (``[``, ``{``) nested deeper than :data:`MAX_DEPTH`, counted outside quotes
    and comments, before a parser that recurses on them sees the text."""
    depth, quote = 0, ""
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise DataError([f"{path}: line {number}: nested more than {MAX_DEPTH} levels deep; expected "
                                     "the plain keys and values of data/README.md"])
            elif char in "]}":
                depth = max(depth - 1, 0)
        quote = "" if quote == "'" else quote   # a single-quoted scalar may span lines only in flow context


def _check_events(path: Path, events: Any) -> None:
    """Walk the parse events: refuse an alias, a key given twice in one mapping, and nesting too deep."""
    stack: list[list] = []   # per open collection: is it a mapping, the keys seen, is a key next

    def done_node() -> None:
        if stack and stack[-1][0]:
            stack[-1][2] = not stack[-1][2]

    for event in events:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise DataError([f"{path}: line {line}: an alias (*{event.anchor}); anchors and aliases are not "
                             "allowed in these files, write the value out"])
        if isinstance(event, yaml.ScalarEvent):
            if stack and stack[-1][0] and stack[-1][2]:
                if event.value in stack[-1][1]:
                    raise DataError([f"{path}: line {line}: key {event.value!r} given twice in the same mapping; "
                                     "expected each key once"])
                stack[-1][1].add(event.value)
            done_node()
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            stack.append([isinstance(event, yaml.MappingStartEvent), set(), True])
            if len(stack) > MAX_DEPTH:
                raise DataError([f"{path}: line {line}: nested more than {MAX_DEPTH} levels deep; expected the "
                                 "plain keys and values of data/README.md"])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
            done_node()
