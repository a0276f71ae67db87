"""The compiled array loops (``_kernels.pyx``) against their numpy versions (kernels.py):
by hand on small arrays, and on the real benchmark index and queries, where the hit lists
must come out the same whichever runs."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from followthemoney import model

from sanctions_ledger.match import MatchIndex, Query, kernels
from sanctions_ledger.match.normalise import analyse
from sanctions_ledger.match.prescore import prescore
from sanctions_ledger.match.score import is_org_schema
from sanctions_ledger.match.tokens import IndexWeights

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BENCH = SHARED / "bench" / "ofac-2021-alias-holdout"


@pytest.fixture(params=["compiled", "numpy"])
def impl(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "compiled" and not kernels.COMPILED:
        pytest.skip("the loops were not compiled")
    if request.param == "numpy":
        monkeypatch.setattr(kernels, "_kernels", None)
    return str(request.param)


@pytest.mark.skipif(bool(os.environ.get("SANCTIONS_LEDGER_PURE")), reason="pure build asked for")
def test_loops_are_compiled() -> None:
    """The test command installs a C compiler and Cython: the install must not have fallen back."""
    assert kernels.COMPILED


def test_accumulate_takes_each_keys_best_entry_per_name_and_sums_the_keys(impl: str) -> None:
    # Four vocabulary entries; entry t is held by the names in row t.
    rows = [[0, 2], [2, 3], [1], [2]]
    flat = np.array([n for row in rows for n in row], dtype=np.int32)
    off = np.array([0, 2, 4, 5, 6], dtype=np.int64)
    # Key 0 reaches entries 0 (0.5) and 1 (0.75); key 1 reaches entries 3 (0.25) and 2 (1.0).
    tids = np.array([0, 1, 3, 2], dtype=np.int64)
    weights = np.array([0.5, 0.75, 0.25, 1.0])
    ranks = np.array([0, 0, 1, 1], dtype=np.int64)
    for _ in range(2):  # the compiled loop leaves its scratch arrays as it found them
        found, score = kernels.accumulate(flat, off, tids, weights, ranks, 2, 5)
        assert found.tolist() == [0, 1, 2, 3]
        # name 2: key 0's best entry (1: 0.75) plus key 1's (3: 0.25); name 0: 0.5 only
        assert score.tolist() == [0.5, 1.0, 1.0, 0.75]
    empty = kernels.accumulate(flat, off, tids[:0], weights[:0], ranks[:0], 0, 5)
    assert [len(a) for a in empty] == [0, 0]


def test_best_entries_is_each_names_best_weighted_entry(impl: str) -> None:
    rows = [[0, 2], [1], [3, 2, 0]]
    flat = np.array([t for row in rows for t in row], dtype=np.int32)
    off = np.array([0, 2, 3, 6], dtype=np.int64)
    nids = np.array([2, 1, 0], dtype=np.int64)
    best = kernels.best_entries(flat, off, nids, np.array([2, 0]), np.array([0.5, 0.25]), 4)
    assert best.tolist() == [0.5, 0.0, 0.5]
    # the weights of one call do not linger into the next
    best = kernels.best_entries(flat, off, nids, np.array([1]), np.array([0.75]), 4)
    assert best.tolist() == [0.0, 0.75, 0.0]


def test_name_tokens_lists_each_names_tokens_and_the_distinct_ones(impl: str) -> None:
    rows = [[4, 1], [1], [0, 4, 2]]
    flat = np.array([t for row in rows for t in row], dtype=np.int32)
    off = np.array([0, 2, 3, 6], dtype=np.int64)
    idx, uniq, inverse, starts = kernels.name_tokens(flat, off, np.array([2, 0], dtype=np.int64), 5)
    assert idx.tolist() == [0, 4, 2, 4, 1]
    assert starts.tolist() == [0, 3, 5]
    assert sorted(uniq.tolist()) == [0, 1, 2, 4]
    assert uniq.take(inverse).tolist() == idx.tolist()


def test_coverage_raises_agreeing_keys_floors_and_weighs_both_sides(impl: str) -> None:
    # Query tokens A (weight 3) and B (weight 1); indexed tokens 0, 1, 2 (weights 1, 1, 2).
    # A is 0.7 like token 0, 0.5 like token 2 (under the floor); B shares token 1's skeleton.
    sim = np.array([[0.7, 0.1, 0.5], [0.2, 0.3, 0.0]], dtype=np.float32)
    keys = np.array([[10, 11, 12], [20, 21, 22], [30, 31, 32]], dtype=np.int32)
    qkeys = np.array([[-1, -1], [-1, -1], [-1, 31]], dtype=np.int32)
    wq = np.array([3.0, 1.0], dtype=np.float32)
    wtok = np.array([1.0, 1.0, 2.0], dtype=np.float32)
    # Name 0 holds tokens 0 and 1; name 1 holds token 2.
    uniq = np.array([0, 1, 2], dtype=np.int64)
    idx = np.array([0, 1, 2], dtype=np.int64)
    off = np.array([0, 2, 3], dtype=np.int64)
    values = np.array([0.92, 0.8, 0.85], dtype=np.float32)
    none = np.full((2, 1), -1, dtype=np.int32)
    est = kernels.coverage(sim, qkeys, keys, values, none, 0.92, uniq, idx.copy(), idx, off, wq,
                           wtok, 0.6)
    # Name 0: query side (3 * 0.7 + 1 * 0.85) / 4; name side (0.7 + 0.85) / 2.
    q, c = (3 * 0.7 + 0.85) / 4, (0.7 + 0.85) / 2
    assert est[0] == pytest.approx(q**0.55 * c**0.45, abs=1e-6)
    assert est[1] == 0.0


def test_coverage_raises_a_national_reading_to_its_value(impl: str) -> None:
    # One query token, under the floor against tokens 0 and 1 as written; a national reading
    # of it has token 1's vowel key (code 11, the first key row), none has token 0's.
    sim = np.array([[0.3, 0.2]], dtype=np.float32)
    keys = np.array([[10, 11], [20, 21], [30, 31]], dtype=np.int32)
    qkeys = np.full((3, 1), -1, dtype=np.int32)
    qnat = np.array([[5, 11]], dtype=np.int32)
    wq = np.ones(1, dtype=np.float32)
    wtok = np.ones(2, dtype=np.float32)
    uniq = np.array([0, 1], dtype=np.int64)
    idx = np.array([0, 1], dtype=np.int64)
    off = np.array([0, 1, 2], dtype=np.int64)
    values = np.array([0.92, 0.8, 0.85], dtype=np.float32)
    est = kernels.coverage(sim, qkeys, keys, values, qnat, 0.9, uniq, idx.copy(), idx, off, wq,
                           wtok, 0.6)
    assert est[0] == 0.0
    assert est[1] == pytest.approx(0.9, abs=1e-6)
    # -1 (no reading) never agrees, not even with a -1 nowhere in the keys
    est = kernels.coverage(np.array([[0.3, 0.2]], dtype=np.float32), qkeys, keys, values,
                           np.full((1, 2), -1, dtype=np.int32), 0.9, uniq, idx.copy(), idx,
                           off, wq, wtok, 0.6)
    assert est.tolist() == [0.0, 0.0]


def _queries() -> Iterator[Query]:
    for name in ("queries.csv", "negatives.csv"):
        with open(BENCH / name, encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if i % 5 == 0:
                    yield Query(row["name"], schema=row["schema"] or "Any",
                                birth_date=row["birth_date"] or None, country=row["country"] or None)


@pytest.fixture(scope="module")
def dev_index() -> MatchIndex:
    if not BENCH.exists():
        pytest.skip("shared data absent")
    with open(BENCH / "index.ftm.json", encoding="utf-8") as fh:
        entities = [(data["datasets"][0], model.get_proxy(data))
                    for data in map(json.loads, fh)]
    return MatchIndex.build(entities)


@pytest.mark.skipif(not kernels.COMPILED, reason="the loops were not compiled")
def test_compiled_and_numpy_loops_screen_the_benchmark_alike(
    dev_index: MatchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fifth of the DEV queries and negatives against the whole DEV index (OFAC SDN 2021):
    the same names retrieved with the same weights, pre-scores equal to 1e-6, the same
    hits."""
    index = dev_index
    queries = list(_queries())
    assert len(queries) == 400
    weigh = IndexWeights(index.vocab, index.weights)

    Run = tuple[list[int], list[float], np.ndarray, list[tuple[str, float]]]

    def run() -> list[Run]:
        out: list[Run] = []
        for q in queries:
            form = analyse(q.name, is_org_schema(q.schema), q.schema == "Person")
            found, score = index.retrieval.retrieve(form)
            pre = prescore(index.table, form, found[:120], weigh, index.vocab)
            hits = [(h.entity_id, h.score) for h in index.search(q, limit=5)]
            out.append((found.tolist(), score.tolist(), pre, hits))
        return out

    compiled = run()
    monkeypatch.setattr(kernels, "_kernels", None)
    numpy = run()
    retrieved = 0
    for a, b in zip(compiled, numpy, strict=True):
        assert a[0] == b[0] and a[1] == b[1]
        np.testing.assert_allclose(a[2], b[2], rtol=0, atol=1e-6)
        assert a[3] == b[3]
        retrieved += len(a[0])
    assert retrieved > 100_000  # hundreds of names per query on average


def test_threads_searching_at_once_get_what_one_gets(dev_index: MatchIndex, impl: str) -> None:
    """The compiled loops share their scratch arrays between threads (the numpy versions
    keep theirs per thread): four threads screening the same queries at once get the hits
    one thread gets."""
    queries = list(_queries())

    def screen(qs: list[Query]) -> list[list[tuple[str, float]]]:
        return [[(h.entity_id, h.score) for h in dev_index.search(q, limit=5)] for q in qs]

    alone = screen(queries)
    with ThreadPoolExecutor(4) as pool:
        # each thread in its own order, so that different queries run side by side
        runs = list(pool.map(screen, [queries, queries[::-1], queries[1::2] + queries[::2],
                                      queries[::-1]]))
    assert runs[0] == alone and runs[1] == alone[::-1] and runs[3] == alone[::-1]
    assert runs[2] == alone[1::2] + alone[::2]
    assert sum(len(h) for h in alone) > 1000


def test_a_query_of_a_hundred_words_is_screened(dev_index: MatchIndex, impl: str) -> None:
    """No bound on the query's tokens in the loops (the compiled estimate once had 64)."""
    words = ("mohammed ali hassan ahmad abdul rahman kim jong petrov ivanov lopez garcia bank "
             "trading company").split()
    name = " ".join(w + "x" * (i // len(words)) for i, w in enumerate(words * 7))
    assert len(set(name.split())) == 105
    hits = dev_index.search(Query(name, schema="Any"), limit=3)
    assert hits and all(0.0 <= h.score <= 1.0 for h in hits)


def test_top_names_keeps_the_best_above_the_floor_lowest_ids_first(impl: str) -> None:
    nids = np.array([3, 5, 8, 9, 12, 20], dtype=np.int64)
    scores = np.array([1.0, 4.0, 1.6, 4.0, 2.0, 1.5])
    # floor 0.4 * 4.0 = 1.6: names 3 (1.0) and 20 (1.5) fall under it; 5 and 9 tie, 5 first
    assert kernels.top_names(nids, scores, 0.4, 10).tolist() == [5, 9, 12, 8]
    # the cut at 3 keeps the lower id of a tie at the cut too
    assert kernels.top_names(nids, scores, 0.4, 3).tolist() == [5, 9, 12]
    assert kernels.top_names(nids, scores, 0.4, 1).tolist() == [5]
    rng = np.random.default_rng(5)
    for _ in range(300):
        n = int(rng.integers(1, 400))
        ids = np.sort(rng.choice(10_000, size=n, replace=False)).astype(np.int64)
        w = rng.integers(1, 9, size=n).astype(np.float64) / 3
        expected = sorted(range(n), key=lambda i: (-w[i], ids[i]))
        expected = [int(ids[i]) for i in expected if w[i] >= w.max() * 0.4][:120]
        assert kernels.top_names(ids, w, 0.4, 120).tolist() == expected
