"""Citations and bibliography in one author–year style, with BibTeX's "and others" read as "et al.".

A BibTeX author list that ends in ``and others`` means "and further authors not listed".  BibTeX's own
styles print it as "et al."; pybtex's Python styles, which sphinxcontrib-bibtex uses, treat ``others`` as
one more person.  So an entry with one named author and ``others`` was cited as "Hughes and others, 2015"
while an entry with three named authors was cited as "Buchbinder et al., 2019", and the bibliography
printed "T. Hughes and others".

This Sphinx extension, listed in ``_config.yml``, registers two plugins that honour the BibTeX meaning:

* the referencing style ``il2_author_year`` (``bibtex_reference_style``): sphinxcontrib-bibtex's
  ``author_year`` with round brackets, a plain "et al." and a list ending in ``others`` always shortened
  to its first author, so ``{cite:t}`` gives "Hughes et al. (2015)" and ``{cite:p}`` "(Hughes et al., 2015)";
* the bibliography style ``il2`` (``bibtex_default_style``): pybtex's ``plain`` with ``others`` printed
  as "et al." after the named authors.

>>> from pybtex.database import Entry, Person
>>> entry = Entry("article", persons={"author": [Person("Hughes, T."), Person("others")]})
>>> named_authors(entry.persons["author"])
([Person('Hughes, T.')], True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pybtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import FieldIsMissing, first_of, join, node, optional, sentence, tag
from pybtex.style.template import field as bib_field
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

__all__ = ["REFERENCE_STYLE", "BIBLIOGRAPHY_STYLE", "named_authors", "setup"]

REFERENCE_STYLE, BIBLIOGRAPHY_STYLE = "il2_author_year", "il2"
ET_AL = "et al."


def named_authors(persons: list) -> tuple[list, bool]:
    """The persons actually named, and whether the list ends in BibTeX's ``others`` (further authors)."""
    if persons and str(persons[-1]) == "others":
        return list(persons[:-1]), True
    return list(persons), False


def _persons(data: dict, role: str) -> list:
    try:
        return data["entry"].persons[role]
    except KeyError:
        raise FieldIsMissing(role, data["entry"]) from None


@node
def _citation_names(children: list, data: dict, role: str, sep: Any = ", ", sep2: Any = " and ",
                    last_sep: Any = ", and ", other: Any = None) -> Text:
    """Names for a citation: the first author and "et al." when shortened (three or more, or ``others``)."""
    assert not children
    named, more = named_authors(_persons(data, role))
    person = data["style"].person
    formatted = [person.style_plugin.format(p, person.abbreviate).format_data(data) for p in named]
    if other is not None and formatted and (more or len(formatted) >= 3):
        return Text(formatted[0], other)
    if more:   # the full list was asked for: name everyone known, then "et al."
        return Text(Text(sep).join(formatted), " " + ET_AL)
    if len(formatted) == 2:
        return Text(sep2).join(formatted)
    if len(formatted) > 2:
        return Text(last_sep).join([Text(sep).join(formatted[:-1]), formatted[-1]])
    return Text(*formatted)


@dataclass
class _EtAlPersonStyle(PersonStyle):
    """sphinxcontrib-bibtex's person style, reading a trailing ``others`` as further authors."""

    other: Any = field(default_factory=lambda: Text(" " + ET_AL))

    def names(self, role: str, full: bool):
        return _citation_names(role=role, sep=self.sep, sep2=self.sep2, last_sep=self.last_sep,
                               other=None if full else self.other)

    def author_or_editor_or_title(self, full: bool):
        return first_of[optional[self.names("author", full)], optional[self.names("editor", full)],
                        tag("em")[bib_field("title")]]


def _round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class AuthorYearEtAl(AuthorYearReferenceStyle):
    """Author–year citations as a journal prints them: "Hughes et al. (2015)", "(Hughes et al., 2015)"."""

    bracket_textual: BracketStyle = field(default_factory=_round_brackets)
    bracket_parenthetical: BracketStyle = field(default_factory=_round_brackets)
    bracket_author: BracketStyle = field(default_factory=_round_brackets)
    bracket_label: BracketStyle = field(default_factory=_round_brackets)
    bracket_year: BracketStyle = field(default_factory=_round_brackets)
    person: PersonStyle = field(default_factory=_EtAlPersonStyle)


@node
def _bibliography_names(children: list, data: dict, role: str) -> Text:
    """Every named author, then "et al." where the list ends in ``others``."""
    assert not children
    named, more = named_authors(_persons(data, role))
    style = data["style"]
    formatted = [style.format_name(p, style.abbreviate_names).format_data(data) for p in named]
    if more:
        return Text(Text(", ").join(formatted), ", " if len(formatted) > 1 else " ", ET_AL)
    return join(sep=", ", sep2=" and ", last_sep=", and ")[formatted].format_data(data)


class PlainEtAl(PlainStyle):
    """pybtex's ``plain`` bibliography style with ``and others`` printed as "et al." and every first name
    as initials, so that entries typed with full first names look like the rest."""

    def __init__(self, *args: Any, abbreviate_names: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, abbreviate_names=abbreviate_names, **kwargs)

    def format_names(self, role, as_sentence=True):
        names = _bibliography_names(role)
        return sentence[names] if as_sentence else names


def setup(app: Any) -> dict:
    """Register the two styles; ``_config.yml`` selects them by name."""
    register_plugin("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE, AuthorYearEtAl, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", BIBLIOGRAPHY_STYLE, PlainEtAl, force=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
