"""The book's HTML tables: verdict marks and colours, escaped text, one evidence item per line."""

import pandas as pd
import pytest

from il2lib import audit, tables


@pytest.fixture(scope="module")
def after_pd1_rows() -> pd.DataFrame:
    return audit.run(["after-pd1"])


def test_ledger_marks_each_verdict_and_escapes_markup(after_pd1_rows):
    rows = after_pd1_rows.head(3).copy()
    rows.loc[rows.index[0], "quantity"] = "<b>share</b> of patients"
    html = tables.ledger(rows, table_id="t").to_html()
    assert "&lt;b&gt;share&lt;/b&gt; of patients" in html
    assert "<b>share</b>" not in html
    assert html.count('class="data row') == 3 * 11    # three claims, eleven columns
    assert f"v-{rows['verdict'].iloc[0]}" in html


def test_side_by_side_escapes_the_caption_labels_and_cells():
    artifact = pd.DataFrame({"claim_id": ["a", "b"], "row": ["age < 50", "age < 50"], "col": ["n", "%"]})
    rows = pd.DataFrame({"id": ["a", "b"], "printed": ["<5", "12"], "shown": ["3", "13"],
                         "verdict": ["match", "contradicted"]})
    html = tables.side_by_side(artifact, rows, index=["row"], columns=["col"], table_id="t",
                               caption="<i>Table</i>").to_html()
    assert "&lt;i&gt;Table&lt;/i&gt;" in html and "age &lt; 50" in html and "&lt;5" in html
    assert "3 ✓" in html and "13 ✗" in html and "v-contradicted" in html


def test_findings_list_each_evidence_item_as_its_own_paragraph(after_pd1_rows):
    listed = tables.findings(after_pd1_rows, table_id="f")
    html = listed.to_html()
    evidence = listed.data["evidence"].iloc[0]
    assert evidence.startswith("<p>") and evidence.count("<p>") >= 2
    assert " | " not in evidence
    assert "<p>" in html and "&lt;p&gt;" not in html


def test_premises_table_escapes_comparison_signs():
    rows = audit.run(["stable-disease"])
    html = tables.premises(rows, table_id="p").to_html()
    assert "p &lt; 0.001" in html
    assert "p < 0.001" not in html
