"""After retrieval: which names are scored in full, and the hits they make.

The per-query work between the retrieval's weights and the scorer: keep the best-retrieved
names, order them by the vectorised estimate (:mod:`prescore`), score the best few per
party (:func:`score.best_per_party`), top up when they cover too few parties, and turn the
best name of each party into a :class:`~.types.Hit`. Compiled with mypyc like the scorer
(``setup.py``): these loops run for every query.
"""

from __future__ import annotations

import numpy as np

from sanctions_ledger.match.abbreviations import spelled_by_initials
from sanctions_ledger.match.kernels import top_names
from sanctions_ledger.match.names import MIDDLE_CLASH
from sanctions_ledger.match.normalise import NameForm
from sanctions_ledger.match.prescore import TokenTable, prescore
from sanctions_ledger.match.score import Best, IndexedParty, Probe, best_per_party, explain
from sanctions_ledger.match.tokens import MIN_TOKEN_SIM, IndexWeights, token_similarity
from sanctions_ledger.match.types import Hit

__all__ = ["best_retrieved", "fuller_name_clash", "hits", "score_retrieved"]

RETRIEVED_NAMES = 120
"""Names kept per query by retrieval weight."""
CANDIDATE_NAMES = 8
"""Of those, names fully scored (at least ``limit``), best by an estimate of the name
score (:mod:`prescore`)."""
RETRIEVAL_FIRST = 2
"""The names retrieval weighs highest are always scored (and, when they are one party's
name written twice, the best-retrieved name of the next party)."""
NAMES_PER_PARTY = 3
"""At most this many names of one party are scored (its best-estimated aliases)."""
INITIALS_FIRST = 2
"""Of the names kept whose initials hold a short query token, this many (the best
estimated) are scored after the others."""
TOP_UP_FLOOR = 0.5
"""When the names scored cover fewer than ``limit`` parties, the best-estimated name of
each further party is scored while its estimate reaches this (and TOP_UP_SHARE of the
caller's threshold)."""
TOP_UP_SHARE = 0.9
MIN_RELATIVE_RECALL = 0.4
"""A retrieved name is scored only if its weight reaches this share of the best one."""

Names = list[tuple[int, str, NameForm]]
"""Per name id: (party index, name kind, analysed form)."""


def best_retrieved(nids: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Of the names retrieved (sorted ids, with their weights), the ids of those kept for
    scoring, best first: the best RETRIEVED_NAMES whose weight reaches
    MIN_RELATIVE_RECALL of the best one's."""
    return top_names(np.ascontiguousarray(nids, dtype=np.int64),
                     np.ascontiguousarray(scores, dtype=np.float64), MIN_RELATIVE_RECALL,
                     RETRIEVED_NAMES)


def score_retrieved(
    probe: Probe, kept_ids: np.ndarray, special: set[int], spelled: set[int], limit: int,
    threshold: float, table: TokenTable, weigh: IndexWeights, vocab: dict[str, int],
    names: Names, parties: list[IndexedParty], initials: list[str],
    party_names: list[list[int]],
) -> dict[int, Best]:
    """Per party, the best of its names scored in full: the best few of ``kept_ids``
    by an estimate of the name score and by retrieval weight, and the names
    ``special`` (always) and ``spelled`` (on top of the budget) that the estimate
    cannot see."""
    pre = prescore(table, probe.form, kept_ids, weigh, vocab)
    order = np.lexsort((kept_ids, -pre))
    ranked: list[int] = kept_ids.take(order).tolist()
    always: list[int] = kept_ids[:RETRIEVAL_FIRST].tolist()
    if len(always) == 2 and _one_name_twice(names[always[0]], names[always[1]]):
        # and the best-retrieved name of the next party too: one party's name written
        # twice (a listed value and the name it holds without its bracket: OBYEDINYONNYE
        # MASHINOSTROITELNYE ZAVODY (GRUPPA URALMASH-IZHORA)) takes no other's place
        pidx = names[always[0]][0]
        for nid in kept_ids[RETRIEVAL_FIRST:].tolist():
            if names[nid][0] != pidx:
                always.append(nid)
                break
    if special:
        always += [nid for nid in ranked if nid in special and nid not in always]
    if probe.form.is_org:
        # A query acronym of some of a retrieved name's words (LAREDO DTO): the
        # estimate does not see it either.
        shorts = [t for t in probe.form.tokens if 3 <= len(t) <= 5 and t.isalpha()]
        if shorts:
            spelled.update(spelled_by_initials(shorts, ranked, initials, INITIALS_FIRST))
    first = set(always)
    queue = always + [nid for nid in ranked if nid not in first]
    touched: set[int] = set()
    best = best_per_party(probe, queue, names, parties, weigh,
                          max(CANDIDATE_NAMES, limit), NAMES_PER_PARTY, None, touched)
    if len(touched) < limit:
        # The budget counts names, up to NAMES_PER_PARTY of a party: when the lists
        # hold one person many times over (LUKASHENKA: five records, each with a dozen
        # spellings), the names estimated best can all belong to a few parties. Parties
        # not reached yet get their best-estimated name scored, up to ``limit`` parties.
        floor = max(TOP_UP_FLOOR, threshold * TOP_UP_SHARE)
        pre_ranked: list[float] = pre.take(order).tolist()
        more: list[int] = []
        for nid, est in zip(ranked, pre_ranked, strict=True):
            if est < floor or len(touched) >= limit:
                break
            pidx = names[nid][0]
            if pidx not in touched:
                touched.add(pidx)
                more.append(nid)
        if more:
            best_per_party(probe, more, names, parties, weigh, len(more), 1, best)
    if spelled:
        # Scored after the others and on top of the budget, so that they crowd out
        # neither the names the estimate ranks best nor a party's better names; and
        # whatever their retrieval weight (they are few), not only the names kept.
        extra = [nid for nid in sorted(spelled) if nid not in first]
        best_per_party(probe, extra, names, parties, weigh, len(extra), len(extra), best)
    if not probe.form.is_org:
        fuller_name_clash(best, probe, names, party_names)
    return best


FULLER_CLASH = MIDDLE_CLASH
"""How far a person's best name falls when the query holds a word it lacks and the party's
fuller name holds another word there (:func:`fuller_name_clash`): as far as one name whose
middle name disagrees falls below the same name without it (``names.MIDDLE_CLASH``)."""


def _one_name_twice(a: tuple[int, str, NameForm], b: tuple[int, str, NameForm]) -> bool:
    """Whether two indexed names are one party's, the words of one all in the other."""
    if a[0] != b[0]:
        return False
    ta, tb = set(a[2].tokens), set(b[2].tokens)
    return ta <= tb or tb <= ta


def fuller_name_clash(
    best: dict[int, Best], probe: Probe, names: Names, party_names: list[list[int]]
) -> None:
    """Lower, in ``best``, each person whose best name leaves a query word unmatched while
    another of the party's names is that name with more words, none of which the query's
    word spells (the fuller name can score lower for other reasons, and is then no
    contradiction): the party's own fuller name gives a middle name or patronymic where
    the query gives another. Issue 22's item 5 across a party's names: HARUN, Ahmad
    against the query HARUN Ahmad MALD, when the party is also HARUN, Ahmad Muhammed,
    ranks below a HARUN, Ahmad that simply lacks a middle name."""
    for pidx, (_, raw, nid, parts) in list(best.items()):
        name_part = parts[0]
        if name_part[0] != "name_tokens" or "query only: " not in name_part[3]:
            continue
        form = names[nid][2]
        if form.is_org:
            continue
        toks = form.tokens
        unmatched = name_part[3].partition("query only: ")[2].partition(",")[0].split()
        for other in party_names[pidx]:
            fuller = names[other][2]
            longer = fuller.tokens
            if len(longer) > len(toks) and _holds(longer, toks):
                more = [(t, fuller.skeletons[j], fuller.vowelless[j])
                        for j, t in enumerate(longer) if t not in toks]
                if any([_alike(q, probe, t, sk, vl) for q in unmatched for t, sk, vl in more]):
                    break  # the query's word is the fuller name's, spelled otherwise
                extra = " ".join([t for t, _, _ in more])
                value = max(0.0, name_part[2] - FULLER_CLASH / name_part[1])
                clash = (name_part[0], name_part[1], value,
                         f"{name_part[3]}, fuller name differs: {extra}")
                lowered = raw - FULLER_CLASH
                best[pidx] = (round(min(1.0, max(0.0, lowered)), 4), lowered, nid, [clash, *parts[1:]])
                break


def _alike(word: str, probe: Probe, tok: str, skel: str, vowelless: bool) -> bool:
    """Whether the query's ``word`` and a listed word are spellings of one word."""
    form = probe.form
    i = form.tokens.index(word) if word in form.tokens else -1
    if i < 0:
        return False
    sim = token_similarity(word, form.skeletons[i], form.vowelless[i], tok, skel, vowelless)[0]
    return sim >= MIN_TOKEN_SIM


def _holds(longer: tuple[str, ...], toks: tuple[str, ...]) -> bool:
    """Whether ``longer`` holds every word of ``toks``, as many times."""
    return all([longer.count(t) >= toks.count(t) for t in set(toks)])


def _rank_key(item: tuple[int, Best], parties: list[IndexedParty]) -> tuple[float, float, str]:
    return (-item[1][0], -item[1][1], parties[item[0]].entity_id)


def hits(best: dict[int, Best], threshold: float, limit: int, names: Names,
         parties: list[IndexedParty]) -> list[Hit]:
    """The ``limit`` best parties scoring ``threshold`` or more, as hits with their
    evidence: by score, then the unclamped total, then entity id."""
    ranked_hits = sorted(
        [item for item in best.items() if item[1][0] >= threshold],
        key=lambda item: _rank_key(item, parties),
    )[:limit]
    out: list[Hit] = []
    for pidx, (score, _, nid, parts) in ranked_hits:
        feats, expl = explain(parts)
        party = parties[pidx]
        _, kind, form = names[nid]
        out.append(
            Hit(
                entity_id=party.entity_id,
                dataset=party.dataset,
                schema=party.schema,
                caption=party.caption,
                matched_name=form.original,
                name_kind=kind,
                score=score,
                features=feats,
                explanation=expl,
            )
        )
    return out
