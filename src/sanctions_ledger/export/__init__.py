"""The ledger as a data source for the FollowTheMoney ecosystem: the lists as of any date in
FtM entities (as OpenSanctions' ``entities.ftm.json``), FtM statements with our validity
intervals, a flat table, deltas in yente's format, and an OpenSanctions-style dataset index
(``publish``) that a yente deployment can load. See docs/export.md."""

from sanctions_ledger.export.build import (
    FORMATS,
    MEDIA_TYPES,
    DeltaReport,
    ExportReport,
    export,
    export_delta,
    standing,
)

__all__ = ["FORMATS", "MEDIA_TYPES", "DeltaReport", "ExportReport", "export", "export_delta",
           "standing"]
