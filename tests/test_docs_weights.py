"""The feature table of docs/matching.md says what the scorer does: the same features, in the
same order, with the same weights as ``match.score.FEATURES``."""

from __future__ import annotations

import re

from sanctions_ledger.match.score import FEATURES

from .conftest import REPO

DOC = REPO / "docs" / "matching.md"


def feature_table(markdown: str) -> list[tuple[str, float]]:
    """(feature, weight) rows of the markdown table whose header is ``| feature | weight | ...``."""
    rows: list[tuple[str, float]] = []
    lines = iter(markdown.splitlines())
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[:2] != ["feature", "weight"]:
            continue
        separator = next(lines, "")
        assert re.fullmatch(r"\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?", separator.strip()), separator
        for row in lines:
            if not row.strip().startswith("|"):
                break
            name, weight = (c.strip() for c in row.strip().strip("|").split("|")[:2])
            rows.append((name.strip("`"), float(weight)))
        break
    return rows


def test_the_table_is_found() -> None:
    assert len(feature_table(DOC.read_text(encoding="utf-8"))) >= 2


def test_docs_weights_are_the_codes() -> None:
    documented = feature_table(DOC.read_text(encoding="utf-8"))
    in_code = [(name, weight) for name, weight, _fn in FEATURES]
    assert documented == in_code, (
        f"docs/matching.md's feature table {documented} is not match.score.FEATURES {in_code}")


def test_parser_reads_a_table() -> None:
    text = "intro\n\n| feature | weight | value |\n|---|---|---|\n| `a` | 1.0 | x | y |\n| `b` | 0.25 | z |\n\nafter\n"
    assert feature_table(text) == [("a", 1.0), ("b", 0.25)]
