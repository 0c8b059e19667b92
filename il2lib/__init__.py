"""il2lib: the shared library of the HD IL-2 reproduction book.

Data flow: :mod:`il2lib.datasets` loads and validates ``data/<study>/``;
``il2lib.studies.<study>`` re-derives each published number as evidence
(:mod:`il2lib.claims`); :mod:`il2lib.audit` judges every claim;
:mod:`il2lib.tables` and :mod:`il2lib.plotting` show the results.
"""

from il2lib import audit, claims, courses, datasets, pages, plotting, response, rounding, tables
from il2lib.exceptions import DataError

__all__ = ["audit", "claims", "courses", "datasets", "pages", "plotting", "response", "rounding", "tables", "DataError", "__version__"]
__version__ = "0.1.0"
