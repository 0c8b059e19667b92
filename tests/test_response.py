"""Exact binomial intervals (module il2lib.response), checked against closed forms and the beta quantiles."""

from __future__ import annotations

import pytest
from scipy.stats import beta

from il2lib import response


def test_zero_successes_has_closed_form_upper_limit():
    """For 0/n the Clopper-Pearson upper limit is 1 - (alpha/2)**(1/n)."""
    r = response.rate(0, 10)
    assert r.ci_low == 0
    assert r.ci_high == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-12)


def test_all_successes_has_closed_form_lower_limit():
    r = response.rate(10, 10)
    assert r.ci_low == pytest.approx(0.025 ** (1 / 10), abs=1e-12)
    assert r.ci_high == 1


@pytest.mark.parametrize(("k", "n"), [(23, 149), (38, 201), (61, 350), (1, 57)])
def test_interval_equals_beta_quantiles(k, n):
    """Clopper-Pearson limits are Beta(k, n-k+1) and Beta(k+1, n-k) quantiles (Clopper & Pearson 1934)."""
    r = response.rate(k, n)
    assert r.ci_low == pytest.approx(beta.ppf(0.025, k, n - k + 1), abs=1e-10)
    assert r.ci_high == pytest.approx(beta.ppf(0.975, k + 1, n - k), abs=1e-10)


def test_as_percent_text():
    assert response.rate(0, 10).as_percent() == "0.0% (95% CI 0.0–30.8)"


@pytest.mark.parametrize(("k", "n"), [(-1, 10), (11, 10), (0, 0)])
def test_impossible_counts_are_rejected(k, n):
    with pytest.raises(ValueError, match="need 0 <= count <= total"):
        response.rate(k, n)
