"""What a page's code cells show once ``il2lib.display.install()`` has run in an IPython kernel."""

import ast

import numpy as np
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from il2lib import display


@pytest.fixture(scope="module")
def shown():
    shell = InteractiveShell.instance()
    display.install()

    def show(obj):
        return shell.display_formatter.format(obj)[0]
    yield show
    InteractiveShell.clear_instance()


def test_numbers_and_booleans_read_as_a_reader_expects(shown):
    text = shown((np.float64(0.1234567), np.int64(34), np.bool_(True), False, float("inf")))["text/plain"]
    assert text == "(0.123, 34, yes, no, not reached)"


def test_text_keeps_its_repr_so_glued_values_read_back(shown):
    assert ast.literal_eval(shown("600,000")["text/plain"]) == "600,000"


def test_frames_series_and_dicts_become_reader_tables(shown):
    frame = pd.DataFrame({"median_months": [12.34, float("inf")], "p": [3e-14, 0.2]})
    html = shown(frame)["text/html"]
    assert 'class="il2-table"' in html and "not reached" in html and "&lt; 0.001" in html
    assert "median months" in html and "inf" not in html
    assert "il2-table" in shown(pd.Series([1, 2], index=["a", "b"], name="n"))["text/html"]
    assert "il2-table" in shown({"objective response": "14.7%"})["text/html"]


def test_a_dict_of_tables_stays_text(shown):
    assert "text/html" not in shown({"a": pd.DataFrame({"x": [1]})})
