"""The web UI: server-rendered pages over the service layer (``sanctions_ledger.service``),
mounted beside the API by ``sanctions_ledger.server``."""
