"""Hardened, streaming XML reading shared by every XML parser.

Official list files are large (the OFAC enhanced XML is >100 MB) and arrive from the network,
so every parser streams with ``lxml.etree.iterparse`` and must never expand entities, fetch a
DTD or touch the network. A DOCTYPE that declares entities has no business in a sanctions list:
it is rejected outright rather than parsed "safely", so billion-laughs and XXE payloads fail
loudly instead of yielding quietly truncated data. Every lxml error becomes a
:class:`SourceError` naming the file and line, so callers only ever see one exception type.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from sanctions_ledger.errors import SourceError

Element = Any  # lxml's _Element; lxml ships no usable public type for it

_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_PI = re.compile(rb"<\?.*?\?>", re.DOTALL)
_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
_ROOT = re.compile(rb"<(?![?!/])(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def local(tag: object) -> str:
    """The local name of an lxml tag (``{ns}name`` -> ``name``); "" for comments and PIs."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _utf16(head: bytes) -> str | None:
    """The UTF-16 flavour of ``head`` when its bytes are UTF-16, whatever it declares."""
    if head.startswith(b"\xff\xfe") or head[:2] == b"<\x00":
        return "utf-16-le"
    if head.startswith(b"\xfe\xff") or head[:2] == b"\x00<":
        return "utf-16-be"
    return None


def _ascii_head(head: bytes) -> bytes:
    """``head`` as 8-bit text for scanning (UTF-16 bytes are decoded first)."""
    flavour = _utf16(head)
    if flavour is None:
        return head.removeprefix(b"\xef\xbb\xbf")
    body = head[2:] if head[:2] in _UTF16_BOMS else head
    body = body[: len(body) // 2 * 2]
    return body.decode(flavour, errors="replace").encode("utf-8", errors="replace")


def root_name(head: bytes) -> str | None:
    """Local name of the root element found in the first bytes of a file (for sniffing)."""
    text = _ascii_head(head)
    text = _COMMENT.sub(b"", _PI.sub(b"", text))
    doctype = _DOCTYPE.search(text)
    if doctype:
        # Skip the DOCTYPE (and its internal subset, which may contain '<!ENTITY ...>').
        end = text.find(b"]>", doctype.end())
        text = text[end + 2:] if end >= 0 and b"[" in text[doctype.end():end] else text[doctype.end():]
    match = _ROOT.search(text)
    return match.group(1).decode("ascii", errors="replace") if match else None


def check_encoding(path: Path, head: bytes) -> None:
    """Reject a file whose bytes contradict its declared encoding, with a clear message."""
    flavour = _utf16(head)
    declared_match = _DECL_ENCODING.match(_ascii_head(head))
    declared = declared_match.group(1).decode("ascii").lower() if declared_match else None
    if flavour and declared and not declared.startswith("utf-16"):
        raise SourceError(
            f"wrong encoding: the bytes are UTF-16 but the XML declaration says {declared!r}",
            str(path), "line 1",
        )
    if flavour is None and declared and declared.startswith("utf-16") and b"\x00" not in head[:200]:
        raise SourceError(
            f"wrong encoding: the XML declaration says {declared!r} but the bytes are 8-bit",
            str(path), "line 1",
        )


def _check_doctype(path: Path, elem: Element) -> None:
    docinfo = elem.getroottree().docinfo
    if docinfo.system_url or docinfo.public_id:
        raise SourceError("hostile XML: DOCTYPE references an external DTD", str(path), "line 1")
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise SourceError(
            "hostile XML: DOCTYPE declares entities (entity expansion / XXE is refused)",
            str(path), "line 1",
        )


def _syntax_error(path: Path, exc: Exception) -> SourceError:
    line = getattr(exc, "lineno", None) or 0
    message = str(exc)
    if "encoding" in message.lower() or "utf-8" in message.lower():
        message = f"wrong encoding or corrupt bytes: {message}"
    elif "premature end" in message.lower() or "no element found" in message.lower():
        message = f"truncated or empty XML: {message}"
    else:
        message = f"malformed XML: {message}"
    return SourceError(message, str(path), f"line {line}" if line else None)


class XmlStream:
    """One pass over an XML file, yielding chosen record elements and clearing them behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root_tag: str | None = None
        self.root_attrib: dict[str, str] = {}

    def records(self, tags: Collection[str]) -> Iterator[Element]:
        """Yield each element whose local name is in ``tags`` (outermost only), when complete.

        Elements are cleared once the caller moves on, so memory stays bounded by the
        largest single record. Text outside records is dropped.
        """
        try:
            with open(self.path, "rb") as fh:
                check_encoding(self.path, fh.read(512))
        except OSError as exc:
            raise SourceError(f"cannot read file: {exc.strerror}", str(self.path)) from exc
        context = etree.iterparse(
            str(self.path),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        depth = 0
        inside: Element | None = None
        try:
            for event, elem in context:
                if event == "start":
                    if depth == 0:
                        _check_doctype(self.path, elem)
                        self.root_tag = local(elem.tag)
                        self.root_attrib = {local(k): v for k, v in elem.attrib.items()}
                    depth += 1
                    if inside is None and local(elem.tag) in tags:
                        inside = elem
                    continue
                depth -= 1
                if elem is inside:
                    inside = None
                    yield elem
                    _release(elem)
                elif inside is None and depth > 0 and len(elem) == 0:
                    # Leaf outside records (headers): keep nothing once seen.
                    _release(elem)
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(self.path, exc) from exc
        except etree.LxmlError as exc:
            raise SourceError(f"unreadable XML: {exc}", str(self.path)) from exc
        except OSError as exc:
            raise SourceError(f"cannot read file: {exc}", str(self.path)) from exc
        except (ValueError, UnicodeError) as exc:
            raise SourceError(f"unreadable XML: {exc}", str(self.path)) from exc
        if self.root_tag is None:
            raise SourceError("empty XML document", str(self.path))


def _release(elem: Element) -> None:
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def children(elem: Element, name: str) -> list[Element]:
    """Direct children of ``elem`` with local name ``name`` (namespace-agnostic)."""
    return [c for c in elem if local(c.tag) == name]


def child(elem: Element, name: str) -> Element | None:
    for c in elem:
        if local(c.tag) == name:
            return c
    return None


def text(elem: Element | None, name: str | None = None) -> str | None:
    """Stripped text of ``elem`` (or of its first child ``name``); None when blank."""
    if elem is None:
        return None
    if name is not None:
        elem = child(elem, name)
        if elem is None:
            return None
    value = elem.text
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def texts(elem: Element, *path: str) -> list[str]:
    """Non-blank texts at a child path such as ``texts(e, "NATIONALITY", "VALUE")``."""
    level = [elem]
    for name in path:
        level = [c for e in level for c in children(e, name)]
    return [t for t in (text(e) for e in level) if t]


def position(elem: Element) -> str:
    line = getattr(elem, "sourceline", None)
    return f"line {line}" if line else "unknown position"
