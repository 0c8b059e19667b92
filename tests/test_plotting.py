"""Tests for il2lib.plotting: flow-diagram geometry, drawing and the house style."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from il2lib import courses, plotting  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "successive-courses" / "course_response.csv"
PATIENTS = {"melanoma": 149, "renal_cell": 201}


@pytest.fixture(scope="module")
def transitions() -> pd.DataFrame:
    return pd.read_csv(DATA)


@pytest.fixture(params=sorted(PATIENTS))
def histology(request) -> str:
    return request.param


@pytest.fixture
def flows(transitions, histology) -> pd.DataFrame:
    return courses.links(transitions, histology)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_course_one_column_holds_every_patient(flows, histology):
    nodes = plotting._node_layout(flows)
    assert nodes.query("course == 1")["n"].sum() == PATIENTS[histology]


def test_second_column_holds_every_patient(flows, histology):
    nodes = plotting._node_layout(flows)
    assert nodes.query("course == 2")["n"].sum() == PATIENTS[histology]


def test_stopped_plus_retreated_is_node_size(flows):
    nodes = plotting._node_layout(flows).set_index(["course", "state"])
    for (course, state), node in nodes.iterrows():
        leaving = flows.query("source_course == @course and source_state == @state")
        stopped = leaving.query("target_state == 'stopped'")["n"].sum()
        retreated = leaving.query("target_state != 'stopped'")["n"].sum()
        if len(leaving):
            assert stopped + retreated == node["n"]


def test_course_one_nodes_have_no_inflow_and_stopped_nodes_no_outflow(flows):
    nodes = plotting._node_layout(flows)
    assert (nodes.query("course == 1")["n_in"] == 0).all()
    assert (nodes.query("state == 'stopped'")["n_out"] == 0).all()
    assert (nodes.query("course == 4")["n_out"] == 0).all()


def test_middle_nodes_conserve_patients(flows):
    nodes = plotting._node_layout(flows).query("course in [2, 3] and state != 'stopped'")
    assert (nodes["n_in"] == nodes["n_out"]).all()


def test_heights_equal_patients_without_minimum(flows):
    nodes = plotting._node_layout(flows, min_height=0)
    assert (nodes["height"] == nodes["n"]).all()


def test_minimum_height_keeps_small_nodes_visible_and_others_honest(flows):
    nodes = plotting._node_layout(flows, min_height=2.5)
    assert (nodes["height"] >= 2.5).all()
    assert (nodes["height"] >= nodes["n"]).all()
    big = nodes["n"] >= 40
    assert (nodes.loc[big, "height"] <= nodes.loc[big, "n"] * 1.2).all()


def test_nodes_are_stacked_top_down_without_overlap(flows):
    gap = 3.0
    nodes = plotting._node_layout(flows, gap=gap)
    assert nodes["bottom"].min() == pytest.approx(0)
    top = (nodes["bottom"] + nodes["height"]).max()
    for _, column in nodes.groupby("course"):
        ranks = column["state"].map(plotting.STATE_ORDER.index)
        assert ranks.is_monotonic_increasing
        tops = (column["bottom"] + column["height"]).to_numpy()
        assert tops[0] == pytest.approx(top)
        assert column["bottom"].to_numpy()[:-1] == pytest.approx(tops[1:] + gap)


def test_link_ends_fit_inside_their_nodes(flows):
    nodes = plotting._node_layout(flows, min_height=2.0)
    bands = plotting._link_layout(flows, nodes, 2.0)
    indexed = nodes.set_index(["course", "state"])
    for _, band in bands.iterrows():
        for end in ("source", "target"):
            node = indexed.loc[(band[f"{end}_course"], band[f"{end}_state"])]
            assert band[f"{end}_y0"] >= node["bottom"] - 1e-9
            assert band[f"{end}_y1"] <= node["bottom"] + node["height"] + 1e-9
            assert band[f"{end}_y1"] - band[f"{end}_y0"] == pytest.approx(max(band["n"], 2.0))


def test_plot_returns_given_axes_with_one_patch_per_node_and_link(flows):
    _, ax = plt.subplots()
    returned = plotting.plot_course_flow(flows, ax=ax, title="t")
    assert returned is ax
    nodes = plotting._node_layout(flows)
    assert len(ax.patches) == len(nodes) + len(flows)
    assert ax.get_title() == "t"


def test_plot_labels_every_node_with_state_and_count(flows):
    ax = plotting.plot_course_flow(flows)
    texts = {text.get_text() for text in ax.texts}
    for _, node in plotting._node_layout(flows).iterrows():
        assert f"{node['state']} {node['n']}" in texts
    assert {"After course 1", "After course 4"} <= texts


def test_stage_label_template(flows):
    ax = plotting.plot_course_flow(flows, stage_label="Course {k}")
    assert "Course 3" in {text.get_text() for text in ax.texts}


def test_plot_is_deterministic(flows):
    first = plotting.plot_course_flow(flows)
    second = plotting.plot_course_flow(flows)
    paths = [[patch.get_path().vertices.tolist() for patch in ax.patches] for ax in (first, second)]
    assert paths[0] == paths[1]


def test_links_into_stopped_are_grey(flows):
    ax = plotting.plot_course_flow(flows)
    link_patches = ax.patches[len(plotting._node_layout(flows)):]
    grey = matplotlib.colors.to_rgba(plotting.RESPONSE_COLORS["stopped"], alpha=0.45)
    stopped = flows["target_state"].eq("stopped").to_numpy()
    for patch, into_stopped in zip(link_patches, stopped):
        assert (patch.get_facecolor() == pytest.approx(grey)) == into_stopped


def test_response_colours_are_distinct_and_complete():
    assert set(plotting.RESPONSE_COLORS) == {"CR", "PR", "MR", "NR", "stopped"}
    assert len(set(plotting.RESPONSE_COLORS.values())) == 5


def test_set_theme_is_idempotent():
    plotting.set_theme()
    once = dict(matplotlib.rcParams)
    plotting.set_theme()
    assert dict(matplotlib.rcParams) == once
    assert matplotlib.rcParams["svg.fonttype"] == "none"
    assert matplotlib.rcParams["savefig.bbox"] == "tight"
    assert not matplotlib.rcParams["axes.spines.top"]


def _modules_loaded_by(code: str) -> set[str]:
    """Names of the modules in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    script = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    return set(result.stdout.split())


def _plotting_libraries(modules: set[str]) -> set[str]:
    return {name for name in modules if name.split(".")[0] in {"matplotlib", "seaborn"}}


def test_plotting_module_itself_imports_no_matplotlib():
    source = Path(plotting.__file__)
    code = (
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('standalone_plotting', {str(source)!r})\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))"
    )
    assert not _plotting_libraries(_modules_loaded_by(code))


def test_plotting_adds_no_matplotlib_to_il2lib():
    package = _modules_loaded_by("import il2lib")
    with_plotting = _modules_loaded_by("import il2lib.plotting")
    assert not _plotting_libraries(with_plotting - package)


def test_import_does_not_load_matplotlib():
    code = "import il2lib.plotting, sys; assert 'matplotlib' not in sys.modules; assert 'seaborn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plot_km_draws_each_group_and_labels_reconstruction():
    import matplotlib.pyplot as plt
    import pandas as pd

    frame = pd.DataFrame({"time": [1, 2, 3, 4, 5, 6], "event": [1, 0, 1, 1, 0, 1], "group": ["PD"] * 3 + ["SD"] * 3})
    fig, ax = plt.subplots()
    assert plotting.plot_km(frame, ax=ax, p_value=0.01) is ax
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["PD (n = 3)", "SD (n = 3)"]
    assert any("RECONSTRUCTED" in t.get_text() for t in ax.texts)


def test_plot_consort_shows_every_box():
    boxes = {"reviewed": 10, "no_survival": 1, "no_survival_no_response": 2, "no_response": 3, "analysed": 4}
    ax = plotting.plot_consort(boxes)
    text = " ".join(t.get_text() for t in ax.texts)
    for n in boxes.values():
        assert f"{n} " in text
