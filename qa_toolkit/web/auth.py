"""Log-in for the web view: signed session cookies, CSRF tokens, and a limit on failed attempts.

The session cookie (``qa_session``) is signed, HttpOnly and SameSite=Lax, and holds only the user
name, a fingerprint of their password hash (a changed password ends old sessions) and the CSRF token.
Nothing secret ever travels in a URL.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from fastapi import Request

from qa_toolkit.config import get_settings

SESSION_COOKIE = "qa_session"
SESSION_MAX_AGE = 8 * 3600


def secret_key(data_dir: Path | None = None) -> str:
    """The key that signs session cookies: ``$QA_SECRET_KEY``, else one generated once and kept in
    ``$QA_DATA_DIR/web-secret`` (readable by its owner only), so sessions survive a restart."""
    configured = os.environ.get("QA_SECRET_KEY")
    if configured:
        return configured
    folder = data_dir or get_settings().data_dir
    path = folder / "web-secret"
    if path.is_file():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); forms carry it in a hidden field."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def csrf_ok(request: Request, submitted: str | None) -> bool:
    """Whether a submitted form's token matches the session's."""
    expected = request.session.get("csrf")
    return bool(expected and submitted) and secrets.compare_digest(str(expected), str(submitted))


def safe_next(target: str | None, default: str) -> str:
    """A local path to go to after logging in (never another site: ``//host`` and ``http:`` are refused)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


class LoginLimiter:
    """Failed log-ins allowed per client and name, and per client, within a sliding window.

    After ``per_name`` failures for one name from one address, or ``per_client`` failures from one
    address, further attempts are refused until the oldest failure leaves the window. Kept in memory:
    one ``qa serve`` process holds the counts.
    """

    def __init__(self, per_name: int = 5, per_client: int = 20, window_s: float = 300.0) -> None:
        self.per_name, self.per_client, self.window_s = per_name, per_client, window_s
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def retry_after(self, client: str, name: str) -> float:
        """Seconds until this client may try this name again (0: now)."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in (((client, name.lower()), self.per_name), ((client, ""), self.per_client)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(self.window_s - (now - times[0]))
            return max(waits, default=0.0)

    def failed(self, client: str, name: str) -> None:
        """Count a failed attempt."""
        now = time.monotonic()
        with self._lock:
            self._recent((client, name.lower()), now).append(now)
            self._recent((client, ""), now).append(now)

    def succeeded(self, client: str, name: str) -> None:
        """Forget this name's failures from this client."""
        with self._lock:
            self._failures.pop((client, name.lower()), None)
