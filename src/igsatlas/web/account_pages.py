"""Account routes: signing in and out (throttled), and the beheerder's page of accounts and refused addresses."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from igsatlas.store import accounts
from igsatlas.store.accounts import AccountRole
from igsatlas.web import auth, forms
from igsatlas.web.editing import LOGIN_LIMIT_ACCOUNT, LOGIN_LIMIT_CLIENT, Editing, client_of


class AccountPages(Editing):
    # --- signing in ------------------------------------------------------------------------------

    def login(self, request: Request) -> Response:
        v = self.visitor(request)
        if request.method == "GET":
            return self.render(request, "login.html", v, fout=None, volgende=request.query_params.get("volgende", ""))
        form = self.form(request, v)
        email, password = forms.text(form, "email", 200), str(form.get("wachtwoord") or "")
        following = forms.text(form, "volgende", 300)
        # Failed attempts are counted per account and per client; while over the limit even the right
        # password is refused, with the same answer for a known and an unknown address.
        keys = (
            (f"login:account:{email.lower()}", LOGIN_LIMIT_ACCOUNT),
            (f"login:client:{client_of(request)}", LOGIN_LIMIT_CLIENT),
        )
        # Every attempt is counted before the password is checked (in single statements, see store/accounts.py),
        # so that attempts made at once cannot all pass; a right password takes its count back.
        window = timedelta(minutes=15)
        with self.engine.begin() as conn:
            blocked = any([accounts.throttled(conn, key, limit, window) for key, limit in keys])
        account = None
        if not blocked:
            with self.engine.connect() as conn:
                account = accounts.verify(conn, email, password)  # argon2: outside any write transaction
        token = None
        if account is not None:
            with self.engine.begin() as conn:
                token = accounts.start_session(conn, account)
                for key, _ in keys:
                    accounts.forgive(conn, key)
        if blocked:
            return self.render(
                request,
                "login.html",
                v,
                status=429,
                fout="Te veel mislukte pogingen. Wacht een kwartier en probeer dan opnieuw.",
                volgende=following,
            )
        if token is None:
            return self.render(
                request, "login.html", v, status=400, fout="E-mailadres of wachtwoord klopt niet.", volgende=following
            )
        target = following if following.startswith("/") and not following.startswith("//") else "/redactie"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            auth.SESSION_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=auth.secure(request),
            path="/",
            max_age=int(accounts.LONGEST.total_seconds()),
        )
        return response

    def logout(self, request: Request) -> Response:
        v = self.visitor(request)
        self.form(request, v)
        with self.engine.begin() as conn:
            accounts.end_session(conn, request.cookies.get(auth.SESSION_COOKIE))
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(auth.SESSION_COOKIE, path="/")
        return response

    # --- accounts --------------------------------------------------------------------------------

    def accounts_page(self, request: Request) -> Response:
        v = self.visitor(request)
        auth.admin(v)
        errors = forms.FormErrors()
        made = None
        if request.method == "POST":
            form = self.form(request, v)
            role = forms.text(form, "rol", 20)
            scope = [s.strip() for s in forms.text(form, "werkveld", 2000).replace(";", ",").split(",") if s.strip()]
            try:
                with self.engine.begin() as conn:
                    made = accounts.add(
                        conn,
                        forms.text(form, "email", 200),
                        forms.text(form, "naam", 200),
                        str(form.get("wachtwoord") or ""),
                        AccountRole(role),
                        scope,
                    )
            except ValueError:
                errors.add("rol", "Rol: kies redacteur, eindredacteur of beheerder.")
            except Exception as exc:  # an InvalidArgumentError: shown on the form
                errors.add("email", f"Account: {getattr(exc, 'message', str(exc))}")
        with self.engine.connect() as conn:
            listed = accounts.all_accounts(conn)
        return self.render(
            request,
            "accounts.html",
            v,
            status=400 if errors else 200,
            accounts=listed,
            fouten=errors.messages,
            gemaakt=made,
            rollen=accounts.ROLE_LABELS,
        )
