"""Review routes: the editors' queue, one proposal beside the register with its evidence, and the decision.
Accepting publishes the edit at once (ingest/publication.py)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from igsatlas.documents.common import organisation_url
from igsatlas.documents.layer import layer_titles
from igsatlas.domain.edits import EDITABLE_FIELDS, EditKind, EditState, plain
from igsatlas.errors import ForbiddenError, NotFoundError
from igsatlas.ingest.pipeline import Review
from igsatlas.ingest.publication import publish, republish
from igsatlas.store import accounts, queries
from igsatlas.store import edits as store_edits
from igsatlas.web import auth, forms
from igsatlas.web.auth import Visitor
from igsatlas.web.editing import Editing


def subjects(conn: Connection, edits: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, str]]:
    """(target kind, target id) -> the name and page of what each edit is about ("Interleuven"), never its id."""
    wanted = {(e["target_kind"], e["target_id"]) for e in edits if e["target_id"]}
    orgs = queries.organisations_by_id(conn, [i for k, i in wanted if k == "organisatie"])
    titles = layer_titles(conn)
    out: dict[tuple[str, str], dict[str, str]] = {}
    for kind, key in wanted:
        if kind == "organisatie" and key in orgs:
            out[(kind, key)] = {"naam": orgs[key].name, "url": organisation_url(orgs[key])}
        elif kind == "gemeente" and (muni := queries.municipality(conn, key)) is not None:
            out[(kind, key)] = {"naam": muni.name, "url": f"/gemeenten/{muni.slug}"}
        elif kind == "laag" and key in titles:
            out[(kind, key)] = {"naam": f"laag {titles[key]}", "url": f"/lagen/{key}"}
        elif kind == "lidmaatschap" and (member := queries.membership_names(conn, key)) is not None:
            out[(kind, key)] = {"naam": f"lidmaatschap van {member[0]} in {member[1]}", "url": ""}
    return out


class Reviewing(Editing):
    # --- review ----------------------------------------------------------------------------------

    def queue(self, request: Request) -> Response:
        v = self.visitor(request)
        session = auth.signed_in(v)
        with self.engine.connect() as conn:
            waiting = store_edits.queue(conn) if session.account.reviews else []
            own = [e for e in store_edits.by_author(conn, session.account.id)]
            names = accounts.names(conn)
            about = subjects(conn, [*waiting, *own])
        return self.render(request, "review_queue.html", v, wachtrij=waiting, eigen=own, namen=names, over=about)

    def queue_item(self, request: Request) -> Response:
        v = self.visitor(request)
        session = auth.signed_in(v)
        edit_id = int(request.path_params["edit_id"])
        form = self.form(request, v) if request.method == "POST" else None
        with self.engine.connect() as conn:
            edit = store_edits.one(conn, edit_id)
            if edit is None:
                raise NotFoundError(f"Wijziging {edit_id} bestaat niet.", code="edit-not-found")
            if not session.account.reviews and edit["author_id"] != session.account.id:
                raise ForbiddenError(
                    "Alleen een eindredacteur of de indiener ziet deze wijziging.", code="reviewer-required"
                )
            context = self._compare(conn, edit)
            names = accounts.names(conn)
            context["over"] = subjects(conn, [edit])
        if form is not None:
            return self._decide(request, v, session, edit, form)
        return self.render(request, "review_item.html", v, w=edit, namen=names, **context)

    def _compare(self, conn: Connection, edit: dict[str, Any]) -> dict[str, Any]:
        payload = json.loads(edit["payload"])
        base = json.loads(edit["base"]) if edit["base"] else {}
        org = (
            queries.organisation(conn, edit["target_id"])
            if edit["target_kind"] == "organisatie" and edit["target_id"]
            else None
        )
        current = {name: plain(getattr(org, name)) for name in EDITABLE_FIELDS} if org else {}
        members = []
        for spec in payload.get("members", []) + ([payload] if edit["kind"] == EditKind.ADD_MEMBERSHIP.value else []):
            muni = queries.municipality(conn, str(spec.get("nis")))
            members.append({**spec, "gemeente": muni.name if muni else spec.get("nis")})
        return {
            "voorstel": payload,
            "basis": base,
            "huidig": current,
            "organisatie": org,
            "leden_voorstel": members,
            "conflict": json.loads(edit["conflict"]) if edit["conflict"] else None,
        }

    def _decide(self, request: Request, v: Visitor, session: Any, edit: dict[str, Any], form: FormData) -> Response:
        action = forms.text(form, "actie", 20)
        reason = forms.text(form, "reden", 2000) or None
        edit_id = int(edit["id"])
        if (
            action == "trek-in"
            and edit["author_id"] == session.account.id
            and edit["state"] == EditState.SUBMITTED.value
        ):
            with self.engine.begin() as conn:
                store_edits.review(conn, edit_id, EditState.WITHDRAWN, session.account.id, reason)
            return self.done(request, v, "Ingetrokken", f"Wijziging {edit_id} is ingetrokken.", "/redactie")
        auth.reviewer(v)
        if action == "aanvaard" and edit["state"] == EditState.SUBMITTED.value:
            if edit["kind"] == EditKind.REPORT.value:
                with self.engine.begin() as conn:
                    store_edits.review(conn, edit_id, EditState.ACCEPTED, session.account.id, reason)
                return self.done(
                    request, v, "Melding verwerkt", f"Melding {edit_id} is als verwerkt gemarkeerd.", "/redactie"
                )
            publish(self.engine, self.data_dir, Review(edit_id, session.account.id, reason))
            self.site.clock.written()
            return self.done(
                request, v, "Aanvaard en gepubliceerd", f"Wijziging {edit_id} staat nu op de site.", "/redactie"
            )
        if action == "afwijs" and edit["state"] == EditState.SUBMITTED.value:
            with self.engine.begin() as conn:
                store_edits.review(conn, edit_id, EditState.REJECTED, session.account.id, reason)
            return self.done(request, v, "Afgewezen", f"Wijziging {edit_id} is afgewezen.", "/redactie")
        if action in ("behoud", "bron") and edit["conflict"]:
            with self.engine.begin() as conn:
                if action == "behoud":
                    store_edits.keep_over_source(conn, edit_id)
                else:
                    store_edits.review(
                        conn,
                        edit_id,
                        EditState.WITHDRAWN,
                        session.account.id,
                        reason or "de bron gaat voor",
                        expected=EditState.ACCEPTED,
                    )
            republish(self.engine, self.data_dir, f"edit:{edit_id}", edit_id)
            self.site.clock.written()
            return self.done(
                request, v, "Conflict opgelost", f"Wijziging {edit_id}: het conflict is opgelost.", "/redactie"
            )
        raise ForbiddenError("Deze beslissing kan niet (meer) voor deze wijziging.", code="invalid-decision")
