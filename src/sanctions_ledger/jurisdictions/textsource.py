"""Reading a small import file (events, licences) or a built-in set shipped with the package:
a size cap, UTF-8 checked with the line of the first bad byte, errors that name the file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sanctions_ledger.errors import InputError

__all__ = ["MAX_BYTES", "read_text"]

MAX_BYTES = 5 * 1024 * 1024


def read_text(path: Path | str | None, builtin: str | None, *, builtins: dict[str, str], what: str,
              give: str, after: str = "") -> tuple[str, str]:
    """(label, text) of ``path`` or of the built-in set ``builtin`` (a file of the package's
    ``data/`` named in ``builtins``). ``what`` names the sets in errors ("event set"), ``give``
    says what to pass when neither is given, ``after`` ends the file errors ("; nothing
    imported")."""
    if builtin is not None:
        name = builtins.get(builtin.lower())
        if name is None:
            raise InputError(f"no built-in {what} {builtin!r}; have {', '.join(sorted(builtins))}")
        res = resources.files("sanctions_ledger") / "data" / name
        return f"builtin:{builtin}", res.read_text(encoding="utf-8")
    if path is None:
        raise InputError(f"give {give}, or --builtin NAME")
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES} bytes{after}")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return str(path), data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}: line {line}: not UTF-8 text{after}") from exc
