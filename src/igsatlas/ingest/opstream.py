"""The Organisatieportaal's public delta stream over HTTP: the newest dump and the delta files after a moment.

The protocol (lblod/app-organization-portal config/dispatcher/dispatcher.ex and config/delta-producer/;
lblod/delta-producer-publication-graph-maintainer; lblod/delta-producer-dump-file-publisher; lblod/delta-consumer):
- ``GET /datasets?filter[subject]=<dump subject>&filter[:has-no:next-version]=yes&sort=-release-date`` (JSON:API)
  lists the dumps; during a rotation two can match and the newest may not have its distribution yet;
- ``GET <distributions related link>?include=subject`` names the dump's file;
- ``GET /sync/public/files?since=<UTC, ms, Z>`` lists files created strictly after ``since``, oldest first, a
  page at a time;
- ``GET /files/<id>/download`` gives a file (the dump as Turtle, a delta file as JSON). No login.
"""

from __future__ import annotations

import gzip
import json
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode, urljoin
from urllib.request import Request, urlopen

from igsatlas.errors import SourceError

DEFAULT_URL = "https://organisaties.abb.vlaanderen.be"
DUMP_SUBJECT = "http://data.lblod.info/datasets/delta-producer/dumps/PublicCacheGraphDump"
FILES_PATH = "/sync/public/files"
JSON_API = "application/vnd.api+json"
_HINT = "Check IGSATLAS_OP_URL (or --source) and try again later. Nothing was changed."


def format_moment(moment: datetime) -> str:
    """UTC with milliseconds and Z, as the stream compares ``since`` (an xsd:dateTime)."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_moment(text: str) -> datetime:
    """A moment the stream wrote (ISO 8601, any offset) as an aware UTC datetime."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


@dataclass(frozen=True)
class DeltaFile:
    id: str
    name: str
    created: datetime
    created_text: str


@dataclass(frozen=True)
class Dump:
    file_id: str
    filename: str
    released: datetime
    body: bytes


class Stream:
    """One server of the stream; ``timeout`` in seconds per request."""

    def __init__(self, base_url: str, *, timeout: float = 60.0, retries: int = 3, retry_wait: float = 5.0) -> None:
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.retry_wait = retry_wait

    def _get(self, url: str, accept: str) -> bytes:
        full = url if url.startswith(("http://", "https://")) else urljoin(self.base + "/", url.lstrip("/"))
        request = Request(full, headers={"Accept": accept, "Accept-Encoding": "gzip, deflate"})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                body: bytes = response.read()
                encoding = (response.headers.get("Content-Encoding") or "").lower()
        except HTTPError as exc:
            raise SourceError(
                f"{full} answered {exc.code} {exc.reason}.", code=f"source-http-{exc.code}", hint=_HINT
            ) from None
        except (URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SourceError(f"{full} could not be read: {reason}.", code="source-unavailable", hint=_HINT) from None
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        return body

    def _json(self, url: str) -> Any:
        body = self._get(url, JSON_API)
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            start = body[:80].decode("utf-8", "replace").strip()
            raise SourceError(
                f"{self.base}{url if url.startswith('/') else ''} did not answer JSON (it began {start!r}).",
                code="source-not-json",
                hint="The address may point at the website instead of the stream. " + _HINT,
            ) from None

    def download(self, file_id: str) -> bytes:
        return self._get(f"/files/{quote(file_id, safe='')}/download", "*/*")

    def files_since(self, since: datetime) -> list[DeltaFile]:
        """One page of delta files created after ``since``, sorted by created (then id)."""
        answer = self._json(f"{FILES_PATH}?{urlencode({'since': format_moment(since)})}")
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, list):
            raise SourceError(f"{self.base}{FILES_PATH} did not answer a list of files.", hint=_HINT)
        out = []
        for item in data:
            try:
                attributes = item["attributes"]
                created = str(attributes["created"])
                out.append(DeltaFile(str(item["id"]), str(attributes.get("name", "")), parse_moment(created), created))
            except (KeyError, TypeError, ValueError) as exc:
                raise SourceError(
                    f"{self.base}{FILES_PATH} listed a file without id or a readable created: {item!r:.200}.",
                    code="source-not-understood",
                    hint=_HINT,
                ) from exc
        return sorted(out, key=lambda f: (f.created, f.id))

    def latest_dump(self) -> Dump:
        """The newest dump; during a rotation it may lack its distribution or its file for a moment: retry."""
        problem = "no dump is listed"
        for attempt in range(self.retries):
            if attempt:
                time.sleep(self.retry_wait)
            try:
                return self._try_dump()
            except _NotYet as exc:
                problem = str(exc)
        raise SourceError(
            f"{self.base} has no dump ready ({problem}) after {self.retries} tries.",
            code="source-no-dump",
            hint="A dump is being rotated or the stream is down; run `igs sync` again later. Nothing was changed.",
        )

    def _try_dump(self) -> Dump:
        query = urlencode(
            {"filter[subject]": DUMP_SUBJECT, "filter[:has-no:next-version]": "yes", "sort": "-release-date"}
        )
        answer = self._json(f"/datasets?{query}")
        datasets = answer.get("data") if isinstance(answer, dict) else None
        if not datasets:
            raise _NotYet("no dump is listed")
        newest = max(datasets, key=lambda d: parse_moment(str(d.get("attributes", {}).get("release-date"))))
        released = parse_moment(str(newest["attributes"]["release-date"]))
        related = newest.get("relationships", {}).get("distributions", {}).get("links", {}).get("related")
        if not related:
            raise _NotYet("the newest dump has no distribution yet")
        distributions = self._json(f"{related}{'&' if '?' in related else '?'}include=subject")
        files = {i.get("id"): i for i in distributions.get("included", []) if i.get("type") == "files"}
        for distribution in distributions.get("data") or []:
            file_id = ((distribution.get("relationships") or {}).get("subject") or {}).get("data", {}).get("id")
            if file_id:
                name = files.get(file_id, {}).get("attributes", {}).get("filename") or f"{file_id}.ttl"
                try:
                    body = self.download(file_id)
                except SourceError as exc:
                    if exc.code in ("source-http-404", "source-http-500"):
                        raise _NotYet(f"its file {file_id} answered {exc.code.rsplit('-', 1)[1]}") from None
                    raise
                return Dump(file_id, str(name), released, body)
        raise _NotYet("the newest dump has no file yet")


class _NotYet(Exception):
    """A dump rotation under way: worth asking again in a moment."""


def dump_moment(filename: str, released: datetime) -> datetime:
    """The moment to resume from after this dump: the start the file name stamps (dump-public-YYYYMMDDHHMMSSmmm-
    <uuid>.ttl, written before the release date is set) or the release date, minus a margin for the time
    zone of the stamp. Replaying a few hours is safe: every delta carries whole triples."""
    margin = timedelta(hours=3)
    parts = filename.split("-")
    stamp = next((p for p in parts if len(p) == 17 and p.isdigit()), None)
    if stamp is not None:
        try:
            started = datetime.strptime(stamp[:14], "%Y%m%d%H%M%S").replace(
                microsecond=int(stamp[14:]) * 1000, tzinfo=UTC
            )
            return min(started, released) - margin
        except ValueError:
            pass
    return released - margin
