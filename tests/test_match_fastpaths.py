"""The matcher's shortcuts give what the long way gives."""

from __future__ import annotations

import random
import unicodedata

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
