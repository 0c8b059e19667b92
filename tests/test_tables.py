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
    assert html.count('class="data row') == 3 * 5    # three claims: claim, published, reproduced, verdict, evidence
    assert f"v-{rows['verdict'].iloc[0]}" in html


def test_side_by_side_escapes_the_caption_labels_and_cells():
    artifact = pd.DataFrame({"claim_id": ["a", "b"], "row": ["age < 50", "age < 50"], "col": ["n", "%"]})
    rows = pd.DataFrame({"id": ["a", "b"], "printed": ["<5", "12"], "shown": ["3", "13"],
                         "verdict": ["match", "contradicted"]})
    html = tables.side_by_side(artifact, rows, index=["row"], columns=["col"], table_id="t").to_html()
    assert "age &lt; 50" in html and "&lt;5" in html
    assert "3 ✓" in html and "13 ✗" in html and "v-contradicted" in html


def test_findings_list_each_evidence_item_as_its_own_paragraph(after_pd1_rows):
    listed = tables.findings(after_pd1_rows, table_id="f")
    html = listed.to_html()
    evidence = listed.data["evidence"].iloc[0]
    assert "…" not in html
    assert evidence.startswith("<p>") and evidence.count("<p>") >= 2
    assert " | " not in evidence
    assert "<p>" in html and "&lt;p&gt;" not in html


def test_premises_table_escapes_comparison_signs():
    rows = audit.run(["stable-disease"])
    html = tables.premises(rows, table_id="p").to_html()
    assert "p &lt; 0.001" in html
    assert "p < 0.001" not in html


def test_reader_frame_formats_every_kind_of_cell():
    frame = pd.DataFrame({"median_months": [12.34567, float("inf"), None], "log-rank p": [3e-14, 0.0031, 0.5],
                          "agrees": [True, False, None], "n": [40, 17, 3]})
    shown = tables.reader_frame(frame)
    assert list(shown.columns) == ["median months", "log-rank p", "agrees", "n"]
    assert shown.to_dict("list") == {"median months": ["12.3", "not reached", "—"],
                                     "log-rank p": ["< 0.001", "0.003", "0.50"],
                                     "agrees": ["✓", "✗", "—"], "n": ["40", "17", "3"]}


def test_reader_frame_keeps_a_column_at_the_precision_it_was_rounded_to():
    shown = tables.reader_frame(pd.DataFrame({"share": [0.5, 0.25, 1.0]}).round(1))
    assert shown["share"].tolist() == ["0.5", "0.2", "1.0"]


def test_reader_frame_turns_a_meaningful_index_into_columns_and_drops_row_numbers():
    named = tables.reader_frame(pd.DataFrame({"n": [1, 2]}, index=pd.Index(["PD", "SD"], name="group")))
    assert list(named.columns) == ["group", "n"] and named["group"].tolist() == ["PD", "SD"]
    filtered = tables.reader_frame(pd.DataFrame({"n": [1, 2, 3]}).iloc[[2, 0]])
    assert list(filtered.columns) == ["n"] and filtered["n"].tolist() == ["3", "1"]


def test_show_right_aligns_numbers_and_marks_long_tables_for_the_filter():
    html = tables.show(pd.DataFrame({"group": ["a"] * 30, "n": range(30)})).to_html()
    assert 'class="il2-table il2-long"' in html
    assert 'class="data row0 col1 num"' in html and 'class="data row0 col0 num"' not in html
    short = tables.show(pd.DataFrame({"group": ["a"], "n": [1]})).to_html()
    assert "il2-long" not in short


def test_show_never_truncates_text():
    long_text = "evidence " * 200
    assert long_text.strip() in tables.show(pd.DataFrame({"evidence": [long_text.strip()]})).to_html()


def test_every_verdict_fill_carries_its_mark(after_pd1_rows):
    """Colour only repeats the verdict: a reader who cannot tell the fills apart reads the mark."""
    frame = tables.ledger(after_pd1_rows, table_id="t").data
    for shown, verdict in zip(frame["reproduced"], after_pd1_rows["verdict"]):
        assert shown.endswith(tables.MARKS[verdict])


def test_a_value_too_small_for_its_column_is_not_shown_as_zero():
    shown = tables.reader_frame(pd.DataFrame({"distance": [0.25, 0.0004, 0.0]}))
    assert shown["distance"].tolist() == ["0.25", "4.0 × 10⁻⁴", "0.00"]
