"""The shared XML hardening: hostile DOCTYPEs, truncation, wrong encodings, namespaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, parsers
from sanctions_ledger.sources.xmlsafe import XmlStream, local, root_name, text

# Every XML parser and the root element (and one record element) its files start with.
XML_KINDS = {
    "ofac_xml": ("sdnList", "sdnEntry"),
    "ofac_enhanced": ("sanctionsData", "entity"),
    "ofac_delta": ("sdnChanges", "entry"),
    "eu_fsf": ("export", "sanctionEntity"),
    "uk_fcdo": ("Designations", "Designation"),
    "un_sc": ("CONSOLIDATED_LIST", "INDIVIDUAL"),
    "uk_ofsi_xml": ("ArrayOfFinancialSanctionsTarget", "FinancialSanctionsTarget"),
}

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<{root}><{record}><name>&lol9;</name></{record}></{root}>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<{root}><{record}><name>&xxe;</name><lastName>&xxe;</lastName></{record}></{root}>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE {root} SYSTEM "file:///etc/passwd">
<{root}><{record}><name>x</name></{record}></{root}>
"""


def _registered() -> list[str]:
    return [kind for kind in XML_KINDS if kind in parsers()]


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE, EXTERNAL_DTD], ids=["laughs", "xxe", "dtd"])
@pytest.mark.parametrize("kind", _registered())
def test_hostile_xml_rejected_by_every_parser(tmp_path: Path, kind: str, payload: str) -> None:
    root, record = XML_KINDS[kind]
    path = tmp_path / "hostile.xml"
    path.write_text(payload.format(root=root, record=record))
    with pytest.raises(SourceError) as info:
        for rec in parsers()[kind].parse(path, ParseMeta()):
            # Nothing should come out; if something does, it must not carry the file.
            assert "root:" not in str(rec.entity.to_dict())
    assert "hostile" in str(info.value)
    assert "hostile.xml" in str(info.value)
    assert "root:x:0:0" not in str(info.value)


def test_all_xml_parsers_are_covered() -> None:
    assert set(_registered()) == set(XML_KINDS)


def test_truncated_names_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(b"<?xml version='1.0'?>\n<a>\n<b>\n<c>text")
    with pytest.raises(SourceError) as info:
        list(XmlStream(path).records({"b"}))
    assert "cut.xml" in str(info.value) and "line" in str(info.value)
    assert "truncated" in str(info.value)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="empty.xml"):
        list(XmlStream(path).records({"b"}))


def test_utf16_declared_utf8(tmp_path: Path) -> None:
    path = tmp_path / "u16.xml"
    path.write_bytes('<?xml version="1.0" encoding="UTF-8"?><a><b>x</b></a>'.encode("utf-16"))
    with pytest.raises(SourceError, match="UTF-16"):
        list(XmlStream(path).records({"b"}))


def test_latin1_bytes_declared_utf8(tmp_path: Path) -> None:
    path = tmp_path / "l1.xml"
    path.write_bytes('<?xml version="1.0" encoding="UTF-8"?>\n<a><b>Mü\xdfig</b></a>'.encode("latin-1"))
    with pytest.raises(SourceError, match="encoding"):
        list(XmlStream(path).records({"b"}))


def test_correct_utf16_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok16.xml"
    path.write_bytes('<?xml version="1.0" encoding="UTF-16"?><a><b>Лукашенко</b></a>'.encode("utf-16"))
    assert [text(e) for e in XmlStream(path).records({"b"})] == ["Лукашенко"]


def test_namespaces_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "ns.xml"
    path.write_bytes(b'<r xmlns="http://x/y" xmlns:p="urn:p" gen="1"><p:b>one</p:b><b>two</b></r>')
    stream = XmlStream(path)
    assert [text(e) for e in stream.records({"b"})] == ["one", "two"]
    assert stream.root_tag == "r" and stream.root_attrib == {"gen": "1"}
    assert local("{http://x/y}b") == "b" and local("b") == "b"


def test_records_are_released(tmp_path: Path) -> None:
    path = tmp_path / "many.xml"
    path.write_bytes(b"<r>" + b"<b><c>1</c></b>" * 2000 + b"</r>")
    seen = 0
    for elem in XmlStream(path).records({"b"}):
        seen += 1
        # Earlier siblings were deleted as we went (the parser may have read ahead).
        assert sum(1 for _ in elem.itersiblings(preceding=True)) <= 1
    assert seen == 2000


def test_root_name_sniffing() -> None:
    assert root_name(b'<?xml version="1.0"?>\n<!-- c --><sdnList xmlns="x">') == "sdnList"
    assert root_name(b"<?xml version='1.0'?><ns2:export xmlns:ns2='x'>") == "export"
    assert root_name(b"<!DOCTYPE a [<!ENTITY x 'y'>]><CONSOLIDATED_LIST>") == "CONSOLIDATED_LIST"
    assert root_name('<?xml version="1.0"?><Designations>'.encode("utf-16")) == "Designations"
    assert root_name(b"name,id\n") is None
