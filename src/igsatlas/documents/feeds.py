"""Atom feeds (RFC 4287) of the change log: for the whole register and for one municipality, cooperation,
layer or theme. Entry ids are stable tag URIs built from the change-log entry's id."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:igs-atlas.be,2026"


def atom(
    title: str,
    base_url: str,
    self_path: str,
    page_path: str,
    feed_key: str,
    entries: list[dict[str, Any]],
    register_updated: date | None = None,
) -> bytes:
    """The feed; ``base_url`` makes the links absolute. An empty feed was last updated when the register was
    (``register_updated``), so that every process gives the same feed; the clock only when that is not known."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "nl-BE"})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{TAG}:feed:{feed_key}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    newest = max((e["tijd"] for e in entries), default=None)
    if newest:
        updated = newest + "Z"
    elif register_updated is not None:
        updated = f"{register_updated.isoformat()}T00:00:00Z"
    else:
        updated = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    ET.SubElement(
        feed, f"{{{ATOM}}}link", {"rel": "self", "href": base_url + self_path, "type": "application/atom+xml"}
    )
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": base_url + page_path, "type": "text/html"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "IGS-atlas"
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{TAG}:wijziging:{e['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{e['soort_label'].capitalize()}: {e['wat']}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = e["tijd"] + "Z"
        if e.get("url"):
            ET.SubElement(
                entry,
                f"{{{ATOM}}}link",
                {"rel": "alternate", "href": base_url + e["url"]},
            )
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"{e['wat']} (bron: {e['bron']})"
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": e["soort"], "label": e["soort_label"]})
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body
