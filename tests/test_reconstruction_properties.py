"""Property tests of the reconstruction on simulated trial groups (il2lib.simulation).

Every summary here was printed from data, so it is consistent.  The contract
the reconstruction keeps on every one: it either rebuilds the group, with every
printed target met at printed precision and its curve inside the band the
printed numbers allow, or it raises :class:`ReconstructionError` with a message
(never another exception, never a miss returned as data).  It does not yet
rebuild every consistent summary (issue 19 asks for that; ``python -m
il2lib.simulation`` measures the rate): the second test pins a fixed sample that
now rebuilds without a failure, so the rate cannot creep back up unseen.  Examples
are drawn reproducibly (``derandomize``), so CI sees the same groups every run;
``python -m il2lib.simulation`` runs thousands more.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from il2lib import simulation
from il2lib.exceptions import ReconstructionError
from il2lib.reconstruction import band, reconstruct

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.too_slow])

#: Groups of the fixed sample below that still raise ReconstructionError (measured; may only fall).
KNOWN_FAILURES = 0
SAMPLE = range(300)


@PROPERTY_SETTINGS
@given(index=st.integers(0, 10**6), seed=st.integers(100, 103))
def test_a_simulated_summary_is_rebuilt_inside_its_band_with_every_required_target_met_or_refused_clearly(index,
                                                                                                         seed):
    _, durations, events, summary = simulation.simulated_group(index, seed)
    allowed = band(summary)
    assert allowed.contains(durations, events), summary
    try:
        rebuilt = reconstruct(summary)
    except ReconstructionError as err:
        assert str(err).startswith(f"group {summary.group!r}: ")
        return
    required = rebuilt.fit[rebuilt.fit["target"].isin(["n", "median"])
                           | rebuilt.fit["target"].str.startswith("landmark")]
    assert required["within_precision"].all(), (summary, rebuilt.fit.to_dict("records"))
    assert allowed.contains(rebuilt.data["time"].to_numpy(), rebuilt.data["event"].to_numpy()), summary


def test_no_more_of_a_fixed_sample_of_simulated_summaries_fail_than_measured():
    failed = []
    for index in SAMPLE:
        summary = simulation.simulated_group(index, seed=1)[3]
        try:
            reconstruct(summary)
        except ReconstructionError:
            failed.append(index)
    assert len(failed) <= KNOWN_FAILURES, failed
