"""Signing in to the pages through the OpenID Connect provider, and the
session that follows.

Nothing is kept in server memory (a Lambda instance may answer one request
and never the next):

* the sign-in attempt (``state``, ``nonce``, the PKCE ``code_verifier``, where
  to go next) travels in a short-lived sealed cookie, and each ``state`` is
  spent once in the shared store (``HitCounter``), so a callback replayed
  with the same cookie is refused before the code is traded;
* the session is a sealed, expiring cookie (Fernet: AES-CBC + HMAC-SHA256,
  under a key derived with HKDF from the payload secret) holding the
  principal the claim mapping made, a random session id and the ID token
  (the provider's sign-out hint);
* the CSRF token of a session is HMAC-SHA256 of its id under another derived
  key: every state-changing form of a signed-in page carries it.

An officer the mapping takes from the officer directory is looked up again
on every request: when the directory no longer names them, the session is
over.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import secrets
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from chalicelib.domain.claim_mapping import ClaimMapping, needs_directory, principal_from_claims
from chalicelib.domain.navigation import safe_next
from chalicelib.domain.principal import ROLES, Principal
from chalicelib.errors import ErrorCode, Forbidden, Unauthorized, Unavailable
from chalicelib.ports import Clock, HitCounter, OfficerDirectory, OpenIdProvider

FLOW_SECONDS = 600  # from the click on "sign in" to the provider's answer
SESSION_SECONDS = 8 * 3600  # a working day at the desk
MAX_COOKIE_CHARS = 4096
CALLBACK_PATH = "/signin/callback"


@dataclasses.dataclass(frozen=True)
class Session:
    principal: Principal
    sid: str  # random; the CSRF token is derived from it
    id_token: str  # the provider's sign-out hint
    directory: bool  # the agency comes from the officer directory


@dataclasses.dataclass(frozen=True)
class Started:
    redirect: str  # the provider's authorization URL
    flow: str  # the sealed attempt, for the flow cookie


@dataclasses.dataclass(frozen=True)
class Finished:
    session: Session
    cookie: str  # the sealed session, for the session cookie
    next: str  # a local path
    lang: str


def _fernet(secret: bytes, info: bytes) -> Fernet:
    key = HKDF(hashes.SHA256(), 32, salt=None, info=info).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


class SigninService:
    def __init__(
        self,
        provider: OpenIdProvider | None,
        mapping: ClaimMapping,
        officers: OfficerDirectory | None,
        hits: HitCounter,
        secret: bytes,
        clock: Clock,
        public_url: str,
    ) -> None:
        self._provider = provider
        self._mapping = mapping
        self._officers = officers
        self._hits = hits
        self._clock = clock
        self._flows = _fernet(secret, b"docseal sign-in attempt v1")
        self._sessions = _fernet(secret, b"docseal session v1")
        self._csrf_key = HKDF(hashes.SHA256(), 32, salt=None, info=b"docseal csrf v1").derive(
            secret
        )
        self.redirect_uri = public_url.rstrip("/") + CALLBACK_PATH
        self.home_url = public_url.rstrip("/") + "/"

    @property
    def configured(self) -> bool:
        return self._provider is not None

    def _need_provider(self) -> OpenIdProvider:
        if self._provider is None:
            raise Unavailable(
                "sign-in is not configured on this server (DOCSEAL_OIDC_ISSUER)",
                code=ErrorCode.SIGNIN_UNAVAILABLE,
            )
        return self._provider

    # -- sealing -----------------------------------------------------------------

    def _seal(self, fernet: Fernet, state: dict[str, Any]) -> str:
        body = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
        return fernet.encrypt_at_time(body, int(self._clock.now().timestamp())).decode("ascii")

    def _open(self, fernet: Fernet, value: str | None, seconds: int) -> dict[str, Any] | None:
        if not value or len(value) > MAX_COOKIE_CHARS:
            return None
        now = int(self._clock.now().timestamp())
        try:
            body = fernet.decrypt_at_time(value.encode("ascii"), seconds, now)
            state = json.loads(body)
        except (InvalidToken, UnicodeEncodeError, ValueError):
            return None
        return state if isinstance(state, dict) else None

    # -- the flow ----------------------------------------------------------------

    def start(self, next_path: object, lang: str) -> Started:
        """Where to send the browser, and the attempt to keep in its cookie."""
        from authlib.common.security import generate_token
        from authlib.oauth2.rfc7636 import create_s256_code_challenge

        provider = self._need_provider()
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        verifier = generate_token(64)  # RFC 7636 §4.1: 43-128 unreserved characters
        redirect = provider.authorization_url(
            redirect_uri=self.redirect_uri,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
        )
        flow = self._seal(
            self._flows,
            {"st": state, "no": nonce, "cv": verifier, "nx": safe_next(next_path), "l": lang},
        )
        return Started(redirect, flow)

    def attempt_lang(self, flow: str | None) -> str | None:
        opened = self._open(self._flows, flow, FLOW_SECONDS)
        return str(opened.get("l")) if opened else None

    def finish(
        self, flow: str | None, state: str | None, code: str | None, error: str | None = None
    ) -> Finished:
        """The provider's answer at the callback, checked step by step; a
        session only when every step passed (nothing half-written before)."""
        failed = "the sign-in could not be completed: start again"
        attempt = self._open(self._flows, flow, FLOW_SECONDS)
        # 1. This browser started this attempt, less than FLOW_SECONDS ago.
        if attempt is None:
            raise Unauthorized(
                f"{failed} (no sign-in was started here, or it is too old)",
                code=ErrorCode.SIGNIN_FAILED,
            )
        expected = str(attempt.get("st", ""))
        # 2. The state is the one sent (RFC 6749 §10.12).
        if not state or not expected or not hmac.compare_digest(state, expected):
            raise Unauthorized(f"{failed} (state)", code=ErrorCode.SIGNIN_FAILED)
        # 3. The provider did not refuse, and sent a code.
        if error or not code:
            raise Unauthorized(
                f"{failed} (the provider said: {(error or 'no code')[:64]})",
                code=ErrorCode.SIGNIN_FAILED,
            )
        # 4. The state is spent once, whoever holds the cookie.
        key = "signin:" + hashlib.sha256(expected.encode()).hexdigest()
        expires = self._clock.now() + dt.timedelta(seconds=FLOW_SECONDS)
        if self._hits.count_hit(key, expires) > 1:
            raise Unauthorized(f"{failed} (already used)", code=ErrorCode.SIGNIN_FAILED)
        # 5. The code traded, the ID token verified, the claims mapped.
        signed = self._need_provider().exchange(
            code=code,
            redirect_uri=self.redirect_uri,
            code_verifier=str(attempt["cv"]),
            nonce=str(attempt["no"]),
            now=self._clock.now(),
        )
        principal = self._principal(signed.claims)
        session = Session(
            principal, secrets.token_urlsafe(24), signed.id_token, needs_directory(self._mapping)
        )
        return Finished(
            session,
            self.seal_session(session),
            safe_next(attempt.get("nx")),
            "en" if attempt.get("l") == "en" else "vi",
        )

    def _principal(self, claims: dict[str, object]) -> Principal:
        agency = None
        if needs_directory(self._mapping):
            subject = claims.get("sub")
            agency = self._directory(subject) if isinstance(subject, str) else None
        return principal_from_claims(claims, self._mapping, agency)

    def _directory(self, subject: str) -> tuple[str, str] | None:
        if self._officers is None:
            raise Unavailable(
                "the claim mapping takes officers from the officer directory, "
                "which this server does not have",
                code=ErrorCode.SIGNIN_UNAVAILABLE,
            )
        return self._officers.officer_agency(subject)

    # -- the session -------------------------------------------------------------

    def seal_session(self, session: Session) -> str:
        p = session.principal
        state = {
            "sub": p.subject,
            "r": p.role,
            "h": p.holder_id,
            "a": p.agency,
            "an": p.agency_name,
            "i": p.issuer,
            "sid": session.sid,
            "t": session.id_token,
            "d": session.directory,
        }
        return self._seal(self._sessions, {k: v for k, v in state.items() if v})

    def new_session(self, principal: Principal, id_token: str = "") -> Session:
        """A session for ``principal`` (what the callback makes; tests use it
        to sign in without a provider)."""
        return Session(principal, secrets.token_urlsafe(24), id_token, False)

    def session(self, cookie: str | None) -> Session | None:
        """The session a cookie carries, or None: absent, tampered with,
        expired, or an officer the directory no longer names."""
        state = self._open(self._sessions, cookie, SESSION_SECONDS)
        if state is None or state.get("r") not in ROLES or not state.get("sub"):
            return None
        principal = Principal(
            subject=str(state["sub"]),
            role=state["r"],
            holder_id=state.get("h"),
            agency=state.get("a"),
            agency_name=state.get("an"),
            issuer=state.get("i"),
        )
        directory = bool(state.get("d"))
        if directory and principal.role == "verifier":
            found = self._directory(principal.subject)
            if found is None:
                return None  # disabled or removed: this request is not signed in
            principal = dataclasses.replace(
                principal, agency=found[0], agency_name=found[1] or None
            )
        return Session(principal, str(state.get("sid", "")), str(state.get("t", "")), directory)

    def csrf_token(self, session: Session) -> str:
        mac = hmac.new(self._csrf_key, session.sid.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def check_csrf(self, session: Session, token: object) -> None:
        """``Forbidden`` CSRF_INVALID unless ``token`` is this session's."""
        if (
            not session.sid
            or not isinstance(token, str)
            or not hmac.compare_digest(token.encode(), self.csrf_token(session).encode())
        ):
            raise Forbidden(
                "this form did not come from your docseal page: reload the page and try again",
                code=ErrorCode.CSRF_INVALID,
            )

    def signout_redirect(self, session: Session | None) -> str | None:
        """The provider's end-session URL when it offers one (its own session
        ends there too), else None."""
        if session is None or self._provider is None:
            return None
        return self._provider.end_session_url(
            id_token_hint=session.id_token, post_logout_redirect_uri=self.home_url
        )
