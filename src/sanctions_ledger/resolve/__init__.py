"""Linking the records of one real-world party across lists.

``records`` reads what each list says of a party (names, identifiers, dates, countries),
``evidence`` finds candidate pairs and weighs the evidence for each link, and ``linker``
clusters the links into parties with stable canonical ids, honouring analysts' judgements.
"""

from sanctions_ledger.resolve.linker import (
    Member,
    Party,
    ResolveReport,
    assign_ids,
    canonical_id,
    cluster,
    judge,
    judgements,
    link,
    members_of,
    party_map,
    party_of,
    resolve,
    unlink,
)

__all__ = [
    "Member",
    "Party",
    "ResolveReport",
    "assign_ids",
    "canonical_id",
    "cluster",
    "judge",
    "judgements",
    "link",
    "members_of",
    "party_map",
    "party_of",
    "resolve",
    "unlink",
]
