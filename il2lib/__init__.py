"""il2lib: the shared library of the HD IL-2 reproduction book.

Data flow: :mod:`il2lib.datasets` loads and validates ``data/<study>/``;
``il2lib.studies.<study>`` re-derives each published number as evidence
(:mod:`il2lib.claims`); :mod:`il2lib.consistency` checks the relations the
claims files declare (:mod:`il2lib.relations`) and :mod:`il2lib.premises` the
readings verdicts rest on; :mod:`il2lib.audit` judges every claim and
:mod:`il2lib.findings` groups the problems; :mod:`il2lib.tables` and
:mod:`il2lib.plotting` show the results, and :mod:`il2lib.display` makes a page's
code output read as tables and numbers (:mod:`il2lib.formatting`).
"""

from il2lib import (audit, claims, consistency, courses, datasets, display, findings, formatting, pages, plotting,
                    premises, relations, response, rounding, tables)
from il2lib.exceptions import DataError

__all__ = ["audit", "claims", "consistency", "courses", "datasets", "display", "findings", "formatting", "pages", "plotting", "premises",
           "relations", "response", "rounding", "tables", "DataError", "__version__"]
__version__ = "0.1.0"
