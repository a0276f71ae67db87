"""The matcher's shortcuts give what the long way gives."""

from __future__ import annotations

import random
import unicodedata

import numpy as np

from sanctions_ledger.match.keys import portmanteau
from sanctions_ledger.match.query import _strip


def _strip_slow(text: str) -> str:
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in {"Cc", "Cf", "Co", "Cs", "Cn"}:
            if ch in "\t\n\r":
                out.append(" ")
            continue
        out.append(" " if cat in ("Zs", "Zl", "Zp") else ch)
    return " ".join("".join(out).split())


def test_strip_fast_path_matches_the_character_loop() -> None:
    for text in ["  Vladimir   Putin ", "Лукашенко, Александр", "قصي صدام", "a\u00a0b", "x\u200by\tz"]:
        assert _strip(text) == _strip_slow(text)


def test_no_later_initial_in_the_token_means_no_portmanteau() -> None:
    rng = random.Random(7)
    letters = "abcdehimnors"
    for _ in range(5000):
        words = tuple("".join(rng.choices(letters, k=rng.randint(1, 6))) for _ in range(rng.randint(2, 4)))
        short = "".join(rng.choices(letters, k=rng.randint(3, 8)))
        if {w[0] for w in words[1:]}.isdisjoint(short[1:]):
            assert portmanteau(short, words) is None


def test_evaluate_calls_the_functions_of_the_feature_table() -> None:
    # score._feature_value calls each feature's function directly (a native call); it must
    # follow FEATURES, which the docs and the API describe the model by.
    from sanctions_ledger.match.normalise import analyse
    from sanctions_ledger.match.score import FEATURES, IndexedParty, Probe, _feature_value

    probe = Probe(analyse("Bank Mellat PJSC", True, False), "Company", "1960-05-01", "ir", "IMO 9187629")
    party = IndexedParty("x", "ds", "Organization", "BANK MELLAT", ("1960",), ("ir", "am"),
                         ("9187629",))
    for cand, kind in [(analyse("MELLAT BANK CJSC", True, False), "weakAlias"),
                       (analyse("Mellat", True, False), "alias")]:
        for k, (_, _, fn) in enumerate(FEATURES):
            assert _feature_value(k, probe, cand, kind, party, len) == fn(probe, cand, kind, party, len)
    assert len(FEATURES) == 7  # _feature_value's last branch is the seventh feature


def _best_retrieved_by_partition(nids: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The earlier form of rank.best_retrieved: the best RETRIEVED_NAMES (ties at the cut
    to the lowest ids), sorted, then the prefix reaching the floor."""
    from sanctions_ledger.match.rank import MIN_RELATIVE_RECALL, RETRIEVED_NAMES

    if len(nids) > RETRIEVED_NAMES:
        neg = -scores
        cut = np.partition(neg, RETRIEVED_NAMES - 1)[RETRIEVED_NAMES - 1]
        above = np.flatnonzero(neg < cut)
        tied = np.flatnonzero(neg == cut)[: RETRIEVED_NAMES - len(above)]
        part = np.concatenate([above, tied])
        nids, scores = nids.take(part), scores.take(part)
    order = np.lexsort((nids, -scores))
    top_w = scores.take(order)
    n_kept = int(np.count_nonzero(top_w >= top_w[0] * MIN_RELATIVE_RECALL))
    return nids.take(order[:n_kept]).astype(np.int64)


def test_best_retrieved_is_the_partition_and_sort_it_replaced() -> None:
    from sanctions_ledger.match.rank import best_retrieved

    rng = np.random.default_rng(22)
    for _ in range(2000):
        n = int(rng.integers(1, 600))
        nids = np.sort(rng.choice(100_000, size=n, replace=False)).astype(np.int64)
        # few distinct weights, so that ties at the cut and at the floor are common
        scores = rng.integers(1, 12, size=n).astype(np.float64) / 4
        assert best_retrieved(nids, scores).tolist() == _best_retrieved_by_partition(nids, scores).tolist()


def test_word_memos_give_the_computed_keys_and_stay_bounded() -> None:
    from sanctions_ledger.match import keys, national

    words = ["lukasjenko", "grigorjevitj", "gorbatschow", "szczerbakow", "mahmoud", "abd", "x"]
    pairs = [(keys.vowel_key, keys._vowel_key_of), (keys.voiceless_key, keys._voiceless_key_of),
             (keys.abjad_key, keys._abjad_key_of), (keys.abjad_gaps, keys._abjad_gaps_of),
             (keys.abjad_shape, keys._abjad_shape_of), (keys.other_spellings, keys._other_spellings_of),
             (national.national_keys, national._national_keys_of),
             (national.national_readings, national._national_readings_of)]
    for memoised, computed in pairs:
        for word in words:
            assert memoised(word) == computed(word) == memoised(word)
    assert keys.vowel_key("lukasjenko") == "lakasjanka"
    memo: dict[str, int] = {str(i): i for i in range(keys.WORD_MEMO)}
    assert keys.remember_word(memo, "new", 1) == 1 and memo == {"new": 1}
