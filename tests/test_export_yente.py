"""``sanctions serve`` publishes /exports/ as yente loads it: these tests run yente's own code
(its manifest and catalog, its Dataset model, its DatasetUpdater that fetches the delta index
and streams delta files, its Entity model) against the live server over real HTTP.

yente 5.5.0 pins followthemoney, fastapi, pydantic-adjacent packages at versions other than
ours, so scripts/test.sh installs it with ``--no-deps`` beside what its data-loading code
imports (pinned in the ``test`` extra). Each model field the exports rely on is checked by
name first, so a yente release that renames one fails with that name.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest

from sanctions_ledger.export.publish import timeline
from sanctions_ledger.store import Ledger

from .conftest_service import LiveServer

pytest_plugins = ["tests.conftest_service"]

yente_dataset = pytest.importorskip("yente.data.dataset", reason="yente is installed by scripts/test.sh")
from yente.data.entity import Entity  # noqa: E402
from yente.data.manifest import Catalog, CatalogManifest, Manifest  # noqa: E402
from yente.data.updater import DatasetUpdater, DeltaIndex, EntityOp  # noqa: E402

MODEL_FIELDS = ("name", "title", "version", "resources", "children", "load", "entities_url",
                "entities_checksum", "delta_url")
"""The fields of yente's YenteDatasetModel that loading our index depends on."""


def test_yente_models_still_have_our_fields() -> None:
    fields = yente_dataset.YenteDatasetModel.model_fields
    for name in MODEL_FIELDS:
        assert name in fields, f"yente's YenteDatasetModel has no field {name!r} any more"
    assert set(EntityOp.__annotations__) == {"op", "entity"}, (
        f"yente's EntityOp fields changed: {sorted(EntityOp.__annotations__)} (we write op, entity)")
    assert set(DeltaIndex.__annotations__) == {"versions"}, (
        f"yente's DeltaIndex fields changed: {sorted(DeltaIndex.__annotations__)} (we write versions)")
    resource = yente_dataset.DataResource.model_fields
    for name in ("name", "url", "checksum", "mime_type", "size"):
        assert name in resource, f"followthemoney's DataResource has no field {name!r} any more"


async def _collect(ops: AsyncIterator[EntityOp]) -> list[EntityOp]:
    return [op async for op in ops]


def _get(url: str) -> httpx.Response:
    response = httpx.get(url, timeout=120)
    assert response.status_code == 200, (url, response.text[:300])
    return response


def test_index_json(live_server: LiveServer, ledger: Ledger) -> None:
    index = _get(f"{live_server.url}/exports/index.json").json()
    points = timeline(ledger)
    assert [p.day.isoformat() for p in points] == ["2019-01-15", "2021-07-07", "2022-05-05"]
    assert index["name"] == "sanctions_ledger" and index["version"] == points[-1].version
    assert index["last_change"] == "2022-05-05T00:00:00"
    assert "us_ofac_sdn" in index["datasets"] and "eu_fsf" in index["datasets"]
    entities = next(r for r in index["resources"] if r["name"] == "entities.ftm.json")
    assert entities["mime_type"] == "application/json+ftm"
    body = _get(entities["url"]).content
    assert hashlib.sha1(body).hexdigest() == entities["checksum"] and len(body) == entities["size"]
    assert hashlib.sha256(body).hexdigest() == entities["sha256"]
    # yente's own Dataset model reads it (a collection of the ledger's lists).
    dataset = yente_dataset.Dataset({**index, "resource_name": "entities.ftm.json"})
    assert dataset.model.entities_url == entities["url"]
    assert dataset.model.entities_checksum == entities["checksum"]
    assert dataset.model.delta_url == f"{live_server.url}/exports/delta.json"
    assert dataset.model.version == points[-1].version and dataset.is_collection


def test_unknown_file_is_404(live_server: LiveServer) -> None:
    for name in ("nope.json", "entities-0000000000000000.ftm.json", "../ledger.duckdb"):
        response = httpx.get(f"{live_server.url}/exports/files/{name}", timeout=30)
        assert response.status_code == 404 and "detail" in response.json()


def test_yente_loads_the_catalog_and_applies_the_deltas(live_server: LiveServer, ledger: Ledger) -> None:
    """yente's manifest -> catalog -> dataset; a full load from the entities resource (checksum
    verified by yente); then from the first version, the deltas yente picks from delta.json,
    applied as its indexer applies them, give the latest full export."""
    manifest = Manifest(catalogs=[CatalogManifest(
        url=f"{live_server.url}/exports/catalog.json", scope="sanctions_ledger",
        resource_name="entities.ftm.json")])
    catalog = asyncio.run(Catalog.load(manifest))
    dataset = catalog.require("sanctions_ledger")
    assert dataset.model.load is True
    assert {"us_ofac_sdn", "eu_fsf", "gb_hmt"} <= set(dataset.dataset_names)
    points = timeline(ledger)

    full = asyncio.run(DatasetUpdater.build(dataset, None))
    assert not full.is_incremental and full.needs_update()
    latest: dict[str, Any] = {}
    for op in asyncio.run(_collect(full.load())):  # yente checks the SHA1 as it streams
        assert op["op"] == "ADD"
        latest[op["entity"]["id"]] = op["entity"]
    assert latest["us-sdn-9760"]["datasets"] == ["us_ofac_sdn"]

    updater = asyncio.run(DatasetUpdater.build(dataset, points[0].version))
    assert updater.is_incremental and updater.needs_update()
    assert [v for v, _url in updater.delta_urls or []] == [p.version for p in points[1:]]
    assert list(_get(f"{live_server.url}/exports/delta.json").json()["versions"]) == [
        p.version for p in points]
    first = _get(f"{live_server.url}/exports/files/entities-{points[0].key}.ftm.json")
    state = {d["id"]: d for d in map(orjson.loads, first.content.splitlines())}
    counts = {"ADD": 0, "MOD": 0, "DEL": 0}
    for op in asyncio.run(_collect(updater.load())):
        counts[op["op"]] += 1
        if op["op"] == "DEL":
            state.pop(op["entity"]["id"])
        else:
            Entity.from_dict(copy.deepcopy(op["entity"]))  # yente's indexed entity model (it pops keys)
            state[op["entity"]["id"]] = op["entity"]
    assert counts["ADD"] > 20000 and counts["MOD"] > 0 and counts["DEL"] > 0

    def strip(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if k != "last_seen"}

    assert {k: strip(v) for k, v in state.items()} == {k: strip(v) for k, v in latest.items()}
