"""Numbers and dates as a Belgian reader writes them (nl-BE): one helper for every page.

19410 -> "19.410"; 0.35 -> "0,35"; 2026-12-01 -> "1 december 2026"; "2024-02" -> "februari 2024".
"""

from __future__ import annotations

import re
from datetime import date, datetime

from markupsafe import Markup, escape

from igsatlas.domain.periods import MONTHS, in_words


def number(value: object, decimals: int | None = None) -> str:
    """A number with a dot between thousands and a decimal comma; ``decimals`` fixes the digits after it."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if decimals is None:
        decimals = 0 if isinstance(value, int) or float(value).is_integer() else 2
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def day(value: object) -> str:
    """A day (date, datetime or ISO text, also 'YYYY-MM' or 'YYYY') in words; other text stays as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return in_words(value)
    text = str(value)
    parts = text[:10].split("-")
    try:
        if len(parts) == 3 and len(text) >= 10:
            return day(date(int(parts[0]), int(parts[1]), int(parts[2])))
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        return text
    return text


def source(text: object) -> dict[str, str | None]:
    """A source as a reader sees it: a page by its site, a file in a repository by its publisher and file, the
    register by its name; with the address to follow where there is one."""
    value = str(text or "")
    if value.startswith(("http://", "https://")):
        host = value.split("/")[2].removeprefix("www.")
        return {"label": host, "url": value}
    if value.startswith("github:") and "@" in value:
        repo, _, rest = value.removeprefix("github:").partition("@")
        commit, _, path = rest.partition(":")
        owner = repo.split("/")[0]
        publisher = PUBLISHERS.get(owner, repo)
        name = path.rsplit("/", 1)[-1] if path else repo
        return {
            "label": f"{publisher}, {name}",
            "url": f"https://github.com/{repo}/blob/{commit}/{path}" if path else None,
        }
    if value.startswith(LBLOD_SOURCE):
        snapshot = value.rsplit("@", 1)[-1] if "@" in value else ""
        return {
            "label": "LBLOD Organisatieportaal (Agentschap Binnenlands Bestuur)"
            + (f", momentopname {snapshot}" if snapshot else ""),
            "url": None,
        }
    for prefix, label in DATA_FILES.items():
        if value == prefix or (prefix.endswith(("/", ".csv")) and value.startswith(prefix)):
            return {"label": label, "url": None}
    return {"label": value, "url": None}


LBLOD_SOURCE = "LBLOD Organisatieportaal"
# The files of the data folder, as a reader knows them (the JSON twin keeps the file's path).
DATA_FILES = {
    "lblod/": "LBLOD Organisatieportaal (Agentschap Binnenlands Bestuur)",
    "regions/memberships.csv": "regiogegevens van de atlas, met de bron per rij",
    "regions/municipalities.csv": "gemeentelijst met NIS-codes en fusies",
    "regions/": "regiogegevens van de atlas",
    "themes/": "beleidsthema's van de samenwerkingsverbanden",
    "published/": "gepubliceerde samenwerkingsverbanden",
    "places/": "postcodes en deelgemeenten",
    "geo/": "gemeentegrenzen",
    "import": "import van de atlas",
}


PUBLISHERS = {
    "provinciesincijfers": "Provincies in Cijfers",
    "lblod": "Agentschap Binnenlands Bestuur (LBLOD)",
    "cultuurnet": "publiq (cultuurnet)",
}


def lower_first(text: object) -> str:
    """A title inside a sentence: 'Erfgoedcellen' -> 'erfgoedcellen', but "UiTPAS-regio's" and 'IOED' stay."""
    value = str(text or "")
    first = value.split(" ")[0].split("-")[0]
    if any(c.isupper() for c in first[1:]):
        return value
    return value[:1].lower() + value[1:]


_KEY = re.compile(r"(?<=sleutel )[a-z0-9]+(?:-[a-z0-9]+)+")
_BACKTICKS = re.compile(r"``([^`]+)``|`([^`]+)`")  # Markdown's code spans, as in the API's OpenAPI descriptions


def with_codes(text: object) -> Markup:
    """Text in which a source's key ("de sleutel reg-waasland") and a Markdown code span (`op`) are marked as
    code, escaped."""
    marked = _KEY.sub(lambda m: f"<code>{m.group(0)}</code>", str(escape(text or "")))
    return Markup(_BACKTICKS.sub(lambda m: f"<code>{m.group(1) or m.group(2)}</code>", marked))


FILTERS = {"getal": number, "datum": day, "bron": source, "kleine_letter": lower_first, "met_codes": with_codes}
