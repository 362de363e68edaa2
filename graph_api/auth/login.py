"""The login page of the embedded server: rendering, CSRF protection, brute-force throttle.

CSRF: the page sets a random nonce in a ``SameSite=Strict``, ``HttpOnly`` cookie and
puts a signed, time-limited copy in the form; a POST is accepted only when both match.
A cross-site page can neither read the cookie nor make the browser send it.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from html import escape
from importlib import resources
from string import Template

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import HTMLResponse

from graph_api.auth.settings import AuthSettings

CSRF_COOKIE = "signaux_login_csrf"
CSRF_FIELD = "csrf_token"
# The OAuth parameters the form carries from the GET to the POST.
OAUTH_FIELDS = (
    "response_type", "client_id", "redirect_uri", "scope", "state",
    "code_challenge", "code_challenge_method", "nonce",
)  # fmt: skip
_CSRF_MAX_AGE = 600

# Browsers must not frame, cache or leak the page (clickjacking, code in Referer).
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def _template() -> Template:
    text = resources.files("graph_api.auth").joinpath("templates/login.html").read_text(encoding="utf-8")
    return Template(text)


class LoginPage:
    """Renders the login form and checks its CSRF token.

    Args:
        settings: the public URL (cookie ``Secure`` flag) and the login throttle.
        secret: the key signing CSRF tokens (kept in the data dir).
    """

    def __init__(self, settings: AuthSettings, secret: bytes) -> None:
        self._settings = settings
        self._serializer = URLSafeTimedSerializer(secret, salt="signaux-login-csrf")
        self._template = _template()

    def render(
        self,
        action: str,
        oauth_params: dict[str, str],
        client_name: str,
        username: str = "",
        error: str | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        """The login page, with a fresh CSRF nonce in a cookie and the form."""
        nonce = secrets.token_urlsafe(24)
        hidden = "\n    ".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
            for k, v in oauth_params.items()
            if k in OAUTH_FIELDS
        )
        body = self._template.substitute(
            action=escape(action),
            hidden_fields=hidden,
            csrf_token=escape(self._serializer.dumps(nonce)),
            client_name=escape(client_name),
            username=escape(username),
            error=f'<p class="error" role="alert">{escape(error)}</p>' if error else "",
        )
        response = HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            max_age=_CSRF_MAX_AGE,
            path=action,
            httponly=True,
            samesite="strict",
            secure=self._settings.secure_cookies,
        )
        return response

    def csrf_ok(self, request: Request, form_token: str | None) -> bool:
        """True when the form's signed token matches the cookie and is recent."""
        cookie = request.cookies.get(CSRF_COOKIE)
        if not cookie or not form_token:
            return False
        try:
            nonce = self._serializer.loads(form_token, max_age=_CSRF_MAX_AGE)
        except BadSignature:
            return False
        return isinstance(nonce, str) and hmac.compare_digest(nonce, cookie)


class LoginThrottle:
    """Refuses an account's logins after too many failures in a sliding window.

    Per process and in memory: enough to make online guessing slow on the embedded
    server, which is for demonstrations and tests; production uses the
    organisation's identity provider.

    Args:
        max_failures: failures allowed in the window.
        window: the window in seconds.
    """

    def __init__(self, max_failures: int, window: int) -> None:
        self._max = max_failures
        self._window = window
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)

    def _recent(self, login: str) -> deque[float]:
        q = self._failures[login]
        cutoff = time.monotonic() - self._window
        while q and q[0] < cutoff:
            q.popleft()
        return q

    def allowed(self, login: str) -> bool:
        """True when the account may try again."""
        return len(self._recent(login)) < self._max

    def failed(self, login: str) -> None:
        """Records a failure."""
        self._recent(login).append(time.monotonic())

    def succeeded(self, login: str) -> None:
        """Forgets the failures of an account that logged in."""
        self._failures.pop(login, None)
