"""Read a YAML data file into a validated model, with errors that name the file, the line and the key.

Used for the per-study files that are written as YAML (``premises.yaml``, ``findings.yaml``, and
``study.yaml`` through :mod:`il2lib._settings`).  The file is
loaded safely (:func:`il2lib.textfiles.load_yaml`: UTF-8, no aliases) and validated with a pydantic model; a problem becomes a
:class:`~il2lib.exceptions.DataError` line such as::

    data/x/premises.yaml: line 7, key 'premises[0].statement': expected a non-empty text, found ''
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import yaml

from il2lib.exceptions import DataError
from il2lib.textfiles import load_yaml

__all__ = ["read_model", "validate"]


if TYPE_CHECKING:
    from pydantic import BaseModel

Model = TypeVar("Model", bound="BaseModel")


def read_model(path: Path, model: type[Model]) -> Model:
    """Load ``path`` as YAML and validate it against ``model``.

    Raises
    ------
    DataError
        If the file is not UTF-8, not YAML, or does not fit the model; each problem names the line.

    Examples
    --------
    >>> import tempfile
    >>> from pydantic import BaseModel
    >>> class Doc(BaseModel):
    ...     title: str
    >>> path = Path(tempfile.mkdtemp()) / "doc.yaml"
    >>> _ = path.write_text("title: [1, 2]\\n", encoding="utf-8")
    >>> try:
    ...     read_model(path, Doc)
    ... except DataError as err:
    ...     print(err.problems[0].split(": ", 1)[1])
    line 1, key 'title': expected a valid string, found [1, 2]
    """
    data, text = load_yaml(path)
    return validate(path, data, text, model)


def validate(path: Path, data: object, text: str, model: type[Model]) -> Model:
    """``data``, loaded from ``text`` (the file at ``path``), validated against ``model``.

    Raises
    ------
    DataError
        If it does not fit the model; each problem names the line and the key.
    """
    from pydantic import ValidationError

    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as err:
        lines = _lines_of(text)
        raise DataError([_problem(path, error, lines) for error in err.errors()]) from None


def _problem(path: Path, error: dict, lines: dict[tuple, int]) -> str:
    loc = tuple(error["loc"])
    key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
    line = next((lines[loc[:i]] for i in range(len(loc), 0, -1) if loc[:i] in lines), None)
    where = f"line {line}, " if line else ""
    expected = error["msg"].removeprefix("Value error, ").replace("Input should be", "expected")
    expected = expected if expected.startswith("expected") else f"expected {expected[0].lower()}{expected[1:]}"
    found = "nothing" if error["type"] == "missing" else repr(error.get("input"))
    return f"{path}: {where}key {key!r}: {expected}, found {found}"


def _lines_of(text: str) -> dict[tuple, int]:
    """The line (1-based) at which each key path of a YAML document starts."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple, int] = {}

    def walk(node: yaml.Node, loc: tuple) -> None:
        lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*loc, key.value))
                lines[(*loc, key.value)] = key.start_mark.line + 1   # a key's own line, not its value's
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))

    if root is not None:
        walk(root, ())
    return lines
