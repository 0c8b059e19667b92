"""Results shared between the pages of a build (il2lib.memo): computed once, never read for other inputs."""

from __future__ import annotations

import dataclasses
import multiprocessing
import time
from pathlib import Path

import pandas as pd
import pytest

from il2lib import audit, datasets, memo


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "store"
    monkeypatch.setenv(memo.ENV_VAR, str(folder))
    return folder


def test_without_a_store_every_call_computes(monkeypatch):
    monkeypatch.delenv(memo.ENV_VAR, raising=False)
    calls = []
    for _ in range(2):
        memo.remembered("k", lambda: calls.append(1), inputs=[])
    assert len(calls) == 2


def test_with_a_store_a_result_is_computed_once_and_read_back(store):
    calls = []

    def compute() -> dict:
        calls.append(1)
        return {"value": 42}

    assert memo.remembered("answer", compute, inputs=[]) == {"value": 42}
    assert memo.remembered("answer", compute, inputs=[]) == {"value": 42}
    assert len(calls) == 1
    assert [p.name for p in store.glob("*.pickle")] == ["answer.pickle"]


def test_a_failed_computation_files_nothing(store):
    def fail() -> None:
        raise ValueError("bad data")

    with pytest.raises(ValueError, match="bad data"):
        memo.remembered("broken", fail, inputs=[])
    assert not list(store.glob("*.pickle"))


def test_the_digest_of_a_folder_follows_its_contents_and_its_place(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "claims.csv").write_text("id\nx\n")
    assert memo.folder_digest(first) != memo.folder_digest(second)  # same files, other folder
    before = memo.folder_digest(first)
    (first / "claims.csv").write_text("id\ny\n")
    assert memo.folder_digest(first) != before


def _slow_count(store: str, log: str) -> None:
    import os

    os.environ[memo.ENV_VAR] = store

    def compute() -> int:
        with open(log, "a") as stream:
            stream.write("computed\n")
        time.sleep(0.5)
        return 7

    assert memo.remembered("slow", compute, inputs=[]) == 7


def test_two_processes_wanting_one_result_compute_it_once(store, tmp_path):
    log = tmp_path / "log.txt"
    workers = [multiprocessing.get_context("fork").Process(target=_slow_count, args=(str(store), str(log)))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert [w.exitcode for w in workers] == [0, 0]
    assert log.read_text().splitlines() == ["computed"]


def test_a_study_and_its_audit_read_from_the_store_equal_those_computed(store):
    datasets._load_cached.cache_clear()                       # as in a new process: nothing in memory
    study = datasets.load("after-pd1")
    computed = audit.audit_study(study)
    assert sorted(p.name.split("-")[0] for p in store.glob("*.pickle")) == ["audit", "study"]
    datasets._load_cached.cache_clear()
    again = datasets.load("after-pd1")
    assert again is not study and again.claims == study.claims
    pd.testing.assert_frame_equal(audit.audit_study(again), computed)


def test_a_study_changed_by_hand_is_audited_afresh_not_read_from_the_store(store):
    study = datasets.load("after-pd1")
    filed = audit.audit_study(study)
    changed = dataclasses.replace(study, claims=study.claims[::-1])
    assert not datasets.is_current(changed)
    assert audit.audit_study(changed)["id"].tolist() == filed["id"].tolist()[::-1]
