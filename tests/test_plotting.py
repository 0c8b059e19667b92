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
from il2lib.plotting import flow  # noqa: E402

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
    nodes = flow._node_layout(flows)
    assert nodes.query("course == 1")["n"].sum() == PATIENTS[histology]


def test_second_column_holds_every_patient(flows, histology):
    nodes = flow._node_layout(flows)
    assert nodes.query("course == 2")["n"].sum() == PATIENTS[histology]


def test_stopped_plus_retreated_is_node_size(flows):
    nodes = flow._node_layout(flows).set_index(["course", "state"])
    for (course, state), node in nodes.iterrows():
        leaving = flows.query("source_course == @course and source_state == @state")
        stopped = leaving.query("target_state == 'stopped'")["n"].sum()
        retreated = leaving.query("target_state != 'stopped'")["n"].sum()
        if len(leaving):
            assert stopped + retreated == node["n"]


def test_course_one_nodes_have_no_inflow_and_stopped_nodes_no_outflow(flows):
    nodes = flow._node_layout(flows)
    assert (nodes.query("course == 1")["n_in"] == 0).all()
    assert (nodes.query("state == 'stopped'")["n_out"] == 0).all()
    assert (nodes.query("course == 4")["n_out"] == 0).all()


def test_middle_nodes_conserve_patients(flows):
    nodes = flow._node_layout(flows).query("course in [2, 3] and state != 'stopped'")
    assert (nodes["n_in"] == nodes["n_out"]).all()


def test_heights_equal_patients_without_minimum(flows):
    nodes = flow._node_layout(flows, min_height=0)
    assert (nodes["height"] == nodes["n"]).all()


def test_minimum_height_keeps_small_nodes_visible_and_others_honest(flows):
    nodes = flow._node_layout(flows, min_height=2.5)
    assert (nodes["height"] >= 2.5).all()
    assert (nodes["height"] >= nodes["n"]).all()
    big = nodes["n"] >= 40
    assert (nodes.loc[big, "height"] <= nodes.loc[big, "n"] * 1.2).all()


def test_nodes_are_stacked_top_down_without_overlap(flows):
    gap = 3.0
    nodes = flow._node_layout(flows, gap=gap)
    assert nodes["bottom"].min() == pytest.approx(0)
    top = (nodes["bottom"] + nodes["height"]).max()
    for _, column in nodes.groupby("course"):
        ranks = column["state"].map(plotting.STATE_ORDER.index)
        assert ranks.is_monotonic_increasing
        tops = (column["bottom"] + column["height"]).to_numpy()
        assert tops[0] == pytest.approx(top)
        assert column["bottom"].to_numpy()[:-1] == pytest.approx(tops[1:] + gap)


def test_link_ends_fit_inside_their_nodes(flows):
    nodes = flow._node_layout(flows, min_height=2.0)
    bands = flow._link_layout(flows, nodes, 2.0)
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
    nodes = flow._node_layout(flows)
    assert len(ax.patches) == len(nodes) + len(flows)
    assert ax.get_title() == "t"


def test_plot_labels_every_node_with_state_and_count(flows):
    ax = plotting.plot_course_flow(flows)
    texts = {text.get_text() for text in ax.texts}
    for _, node in flow._node_layout(flows).iterrows():
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
    link_patches = ax.patches[len(flow._node_layout(flows)):]
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


def test_plotting_modules_themselves_import_no_matplotlib():
    """Importing il2lib and every plotting module loads no plotting library (they load when a figure is drawn)."""
    modules = sorted(path.stem for path in Path(plotting.__file__).parent.glob("*.py") if path.stem != "__init__")
    code = "import importlib\n" + "".join(f"importlib.import_module('il2lib.plotting.{name}')\n" for name in modules)
    assert len(modules) >= 7
    assert not _plotting_libraries(_modules_loaded_by(code))


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


# --- the book's figures are readable: layout_problems on the book's own data --------------------------

from il2lib import datasets, synthesis  # noqa: E402
from il2lib.plotting import layout_problems  # noqa: E402
from il2lib.studies import after_pd1, long_term_pfs, stable_disease  # noqa: E402


@pytest.fixture(autouse=True)
def theme():
    plotting.set_theme()


def test_course_flow_of_both_histologies_has_no_layout_problems(transitions):
    fig, axes = plt.subplots(2, 1, figsize=(plotting.FIGURE_WIDTH, 9))
    for ax, histology in zip(axes, sorted(PATIENTS)):
        plotting.plot_course_flow(courses.links(transitions, histology), ax=ax, title=histology)
    assert layout_problems(fig) == []


def test_course_flow_labels_sit_off_the_bands(flows):
    ax = plotting.plot_course_flow(flows)
    renderer = ax.figure.canvas.get_renderer()
    bands = ax.patches[len(flow._node_layout(flows)):]
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        assert not any(band.get_path().transformed(band.get_transform()).intersects_bbox(box) for band in bands)


def test_consort_of_the_stable_disease_study_has_no_layout_problems():
    ax = plotting.plot_consort(stable_disease.consort_counts(datasets.load("stable-disease")))
    assert layout_problems(ax.figure) == []


def test_km_by_response_has_no_layout_problems_and_says_reconstructed():
    study = datasets.load("stable-disease")
    ax = plotting.plot_km(stable_disease.reconstructed(study), p_value=1e-9, title="Survival by response")
    assert layout_problems(ax.figure) == []
    assert any(text.get_text().startswith("RECONSTRUCTED") for text in ax.texts)


def test_km_with_its_interval_has_no_layout_problems():
    data = stable_disease.reconstructed(datasets.load("stable-disease"))
    ax = plotting.plot_km(data[data["group"] == "SD"], show_ci=True, horizon=168)
    assert layout_problems(ax.figure) == []


def test_four_km_panels_with_a_shaded_curve_have_no_layout_problems():
    study = datasets.load("after-pd1")
    comparisons = study.metadata["reconstruction"]["comparisons"]
    fig, axes = plt.subplots(len(comparisons), 1, figsize=(plotting.FIGURE_WIDTH, 4.6 * len(comparisons)))
    for ax, figure in zip(axes, comparisons):
        plotting.plot_km(after_pd1.reconstructed(study, figure), ax=ax, title=figure, horizon=30,
                         at_risk_times=[0, 6, 12, 18, 24, 30])
        if after_pd1.summaries(study, figure)["after PD-1"] is None:
            plotting.shade_not_reached(ax, until=29, label="median not reached")
    assert layout_problems(fig) == []


def test_km_curve_ends_at_its_last_time_without_dropping_to_zero():
    study = datasets.load("after-pd1")
    ax = plotting.plot_km(after_pd1.reconstructed(study, "Fig. 1a"), horizon=30)
    curves = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    for curve in curves:
        assert curve.get_ydata()[-1] > 0
        assert curve.get_xdata()[-1] <= 30 or curve.get_ydata()[-1] == curve.get_ydata()[-2]


def test_response_counts_side_by_side_have_no_layout_problems():
    response = datasets.load("after-pd1").tables["response"]
    fig, axes = plt.subplots(1, 2, figsize=(plotting.FIGURE_WIDTH, 3.6), sharey=True)
    for ax, histology in zip(axes, ["melanoma", "renal_cell"]):
        plotting.plot_response_counts(response[response["histology"] == histology], ax=ax, title=histology)
    assert layout_problems(fig) == []


def test_forest_and_pooled_rates_have_no_layout_problems():
    orr = synthesis.cohorts("ORR")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(plotting.FIGURE_WIDTH, 7.4), height_ratios=[len(orr), 2.4],
                                      sharex=True)
    plotting.plot_forest(orr, ax=top)
    plotting.plot_pooled(synthesis.pooled(orr), ax=bottom)
    assert layout_problems(fig) == []


def test_follow_up_ranges_have_no_layout_problems():
    study = datasets.load("long-term-pfs")
    ax = plotting.plot_follow_up_ranges(long_term_pfs.follow_up(study), threshold=long_term_pfs.alive_threshold(study))
    assert layout_problems(ax.figure) == []


# --- the checker catches what it should ------------------------------------------------------------

def _axes(width: float = 4.0):
    fig, ax = plt.subplots(figsize=(width, 3))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    return fig, ax


def test_checker_passes_a_clean_figure():
    fig, ax = _axes()
    ax.plot([0, 1], [0, 1], label="rising")
    ax.set_xlabel("time")
    assert layout_problems(fig) == []


def test_checker_catches_two_overlapping_texts():
    fig, ax = _axes()
    ax.text(0.2, 0.8, "first label")
    ax.text(0.25, 0.8, "second label")
    assert layout_problems(fig) == ["'first label' overlaps 'second label'"]


def test_checker_catches_a_tiny_font():
    fig, ax = _axes()
    ax.text(0.1, 0.1, "small print", fontsize=7)
    assert layout_problems(fig) == ["'small print' is 7.0 pt as displayed (needs 9 pt)"]


def test_checker_counts_the_shrinking_of_a_wide_figure():
    fig, ax = _axes(width=12)   # 1152 px shown in a 672 px column: 10 pt text is shown at about 5.6 pt
    problems = layout_problems(fig)
    assert problems and all("pt as displayed" in problem for problem in problems)
    assert layout_problems(fig, column_px=2000) == []


def test_checker_catches_a_legend_over_points():
    fig, ax = _axes()
    ax.scatter([0.85, 0.9, 0.95], [0.9, 0.92, 0.95], label="points in the corner")
    ax.legend(loc="upper right")
    assert layout_problems(fig) == ["the legend covers data (points 'points in the corner')"]


def test_checker_catches_text_on_a_step_curve_but_not_inside_a_bar():
    fig, ax = _axes()
    ax.plot([0, 0.5, 1], [0.9, 0.5, 0.2], drawstyle="steps-post", label="curve")
    ax.text(0.42, 0.6, "on the step")
    ax.bar([0.2], [0.3], width=0.3)
    ax.text(0.2, 0.15, "inside", ha="center", va="center")
    assert layout_problems(fig) == ["'on the step' covers data (line 'curve')"]


def test_checker_catches_colliding_tick_labels():
    fig, ax = _axes(width=2)
    ax.set_xlim(0, 200)
    ax.set_xticks(range(0, 201, 12))
    problems = layout_problems(fig)
    assert problems and any(problem.startswith("tick labels '") and "collide" in problem for problem in problems)


def test_checker_catches_text_outside_the_figure():
    fig, _ = _axes()
    fig.text(0.9, 0.5, "beyond the edge")
    assert layout_problems(fig) == ["'beyond the edge' falls outside the figure"]


def test_placed_legend_and_note_avoid_the_data():
    fig, ax = _axes()
    ax.plot([0, 1], [1, 0], label="falling")
    ax.plot([0, 1], [0.1, 0.1], label="flat")
    plotting.place_legend(ax)
    plotting.place_note(ax, "a note about the data")
    assert layout_problems(fig) == []


# --- in a notebook, a figure with a problem fails its cell ------------------------------------------

@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    instance = InteractiveShell.instance(config=config)
    yield instance
    InteractiveShell.clear_instance()


def test_set_theme_in_ipython_fails_the_cell_that_shows_a_bad_figure(shell):
    shell.run_cell("from il2lib import plotting; plotting.set_theme()")
    good = shell.run_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])\n"
                          "from IPython.display import display\ndisplay(fig)")
    bad = shell.run_cell("fig, ax = plt.subplots()\nax.text(0.1, 0.5, 'one')\nax.text(0.1, 0.5, 'two')\ndisplay(fig)")
    assert good.success
    assert not bad.success
    assert isinstance(bad.error_in_exec, plotting.FigureLayoutError)
    assert "'one' overlaps 'two'" in str(bad.error_in_exec)


def test_notebook_figures_are_png_at_twice_their_display_width(shell):
    shell.run_cell("from il2lib import plotting; plotting.set_theme()\nimport matplotlib.pyplot as plt\n"
                   "fig, ax = plt.subplots(figsize=(5, 3))\nax.plot([0, 1])")
    data, metadata = shell.display_formatter.format(shell.user_ns["fig"])
    assert set(metadata["image/png"]) == {"width"}
    assert 400 < metadata["image/png"]["width"] <= 5 * 96 + 20   # CSS px: 96 per inch, cropped to the content
    import base64

    from il2lib.plotting.notebook import _png_width

    assert _png_width(base64.b64decode(data["image/png"])) == 2 * metadata["image/png"]["width"]


def test_checker_catches_a_layout_that_moves_on_every_draw():
    fig, ax = _axes()
    ax.text(1.3, 0.5, "pushes the layout")   # constrained layout makes room for it, which moves it again
    assert layout_problems(fig)[-1].startswith("the layout does not settle")
