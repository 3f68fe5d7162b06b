"""Choosing the character encoding of a fetched body."""

from __future__ import annotations

import codecs

from tribune.ingest.encoding import decode

GREEK = "Η Κεντρική Επιτροπή του ΚΚΕ καταγγέλλει την επίθεση στους εργαζόμενους και καλεί σε αγώνα."
TURKISH = (
    "Türkiye Komünist Partisi işçi sınıfının çıkarlarını savunmaya devam edeceğini açıkladı. "
    "Güçlü ağır iş"
)


def test_the_header_charset_is_used() -> None:
    assert decode(GREEK.encode("cp1253"), "text/html; charset=windows-1253") == (GREEK, "cp1253")


def test_a_meta_charset_is_used() -> None:
    body = b'<html><head><meta charset="windows-1253"></head><p>' + GREEK.encode("cp1253")
    text, used = decode(body, "text/html")
    assert GREEK in text
    assert used == "cp1253"


def test_a_meta_http_equiv_is_used() -> None:
    head = b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-9">'
    text, used = decode(head + TURKISH.encode("iso-8859-9"), None)
    assert TURKISH in text
    assert used == "iso8859-9"


def test_an_xml_declaration_is_used() -> None:
    body = b'<?xml version="1.0" encoding="ISO-8859-9"?><rss>' + TURKISH.encode("iso-8859-9")
    text, used = decode(body, "application/rss+xml")
    assert TURKISH in text
    assert used == "iso8859-9"


def test_a_bom_wins_over_a_contradicting_header() -> None:
    body = codecs.BOM_UTF8 + GREEK.encode("utf-8")
    assert decode(body, "text/html; charset=windows-1253") == (GREEK, "utf-8-sig")
    text, used = decode(codecs.BOM_UTF16_LE + GREEK.encode("utf-16-le"), None)
    assert (text.lstrip("\ufeff"), used) == (GREEK, "utf-16")


def test_a_wrong_utf8_header_falls_through_to_detection() -> None:
    assert decode(GREEK.encode("cp1253"), "text/html; charset=utf-8")[0] == GREEK
    assert decode(TURKISH.encode("iso-8859-9"), "text/html; charset=utf-8")[0] == TURKISH


def test_utf8_labelled_latin1_is_read_as_utf8() -> None:
    assert decode("café société".encode(), "text/html; charset=iso-8859-1") == (
        "café société",
        "utf-8",
    )


def test_no_charset_at_all() -> None:
    assert decode(GREEK.encode("utf-8"), None)[0] == GREEK
    assert decode(GREEK.encode("cp1253"), None)[0] == GREEK
    assert decode(b"plain ascii", None) == ("plain ascii", "ascii")
    assert decode(b"", "text/html") == ("", "utf-8")


def test_an_unknown_label_is_ignored() -> None:
    assert decode("ünïcode".encode(), "text/html; charset=x-nonsense")[0] == "ünïcode"
