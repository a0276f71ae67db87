"""Score candidates with OpenSanctions' logic-v2 from another nomenklatura installation.

Run by ``screening.py`` in a subprocess whose ``PYTHONPATH`` puts a second folder of
packages first (the newest nomenklatura with the followthemoney and rigour it needs), so
that two versions of logic-v2 are measured in one benchmark run. Never imported by the
package.

    python logic_v2_worker.py ENTITIES.jsonl

reads FtM entities (one JSON object a line), then on stdin one request a line,
``{"q": <query entity dict>, "c": [candidate ids]}``, and answers each with one line,
``[[id, score], ...]``. The first line it writes is the nomenklatura version.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    import nomenklatura
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    algo = get_algorithm("logic-v2")
    assert algo is not None
    config = ScoringConfig.defaults()
    by_id = {}
    with open(sys.argv[1], encoding="utf-8") as fh:
        for line in fh:
            ent = model.get_proxy(json.loads(line))
            by_id[ent.id] = ent
    version = getattr(nomenklatura, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("nomenklatura")
    print(version, flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        q = model.get_proxy(req["q"])
        out = []
        for eid in req["c"]:
            ent = by_id.get(eid)
            if ent is None or not q.schema.can_match(ent.schema):
                continue
            out.append([eid, float(algo.compare(q, ent, config).score)])
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
