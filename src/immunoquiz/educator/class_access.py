"""Who may take part in a class check: codes, learner ids, names and signed tokens.

Headless and pure apart from `secrets`. The class code gates joining; a token
(random, signed with the class key) identifies one learner's attempt in a
browser cookie. The server keeps only a hash of each token, so the state file
alone cannot be used to impersonate a learner.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata

# 0-9 and A-Z without I, L, O, U: nothing to misread on a projector (1/I/L, 0/O) and no
# accidental words (U).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6
MAX_NAME = 40
ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def parse_code(text: str) -> str | None:
    """The code as typed (any case, spaces and dashes ignored), or None if it cannot be one."""
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def codes_match(typed: str, code: str) -> bool:
    wanted = parse_code(typed)
    return wanted is not None and hmac.compare_digest(wanted, code)


def new_learner_id() -> str:
    """A server-made learner id of [a-z0-9]: never derived from the learner's name."""
    return "t-" + "".join(secrets.choice(ID_ALPHABET) for _ in range(8))


def clean_name(text: str) -> str:
    """A display name: control, format (zero-width, direction overrides) and other invisible
    characters removed, whitespace collapsed, trimmed, at most MAX_NAME characters."""
    kept = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if category.startswith("Z"):
            kept.append(" ")
        elif not category.startswith("C"):
            kept.append(ch)
    return " ".join("".join(kept).split())[:MAX_NAME].strip()


def name_key(name: str) -> str:
    """Two names that look the same to the educator are the same learner."""
    return unicodedata.normalize("NFKC", name).casefold()


def new_key() -> str:
    return secrets.token_hex(32)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mac(key: str, purpose: str, value: str) -> str:
    digest = hmac.new(bytes.fromhex(key), f"{purpose}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def sign(key: str, purpose: str, value: str) -> str:
    """`value.mac`: a cookie value the browser can carry but not forge."""
    return f"{value}.{_mac(key, purpose, value)}"


def unsign(key: str, purpose: str, signed: str) -> str | None:
    """The value of a signed string, or None if it was tampered with."""
    value, _, mac = signed.rpartition(".")
    if not value or not hmac.compare_digest(mac, _mac(key, purpose, value)):
        return None
    return value


def csrf_token(key: str, session: str) -> str:
    """The form token tied to one browser session (its token or its pre-join cookie)."""
    return _mac(key, "csrf", session)


def csrf_ok(key: str, session: str, sent: str) -> bool:
    return bool(sent) and hmac.compare_digest(sent, csrf_token(key, session))


class RateLimit:
    """A token bucket per key (an address or a learner): `burst` at once, `per_second` after."""

    def __init__(self, burst: float, per_second: float) -> None:
        self.burst = burst
        self.rate = per_second
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        level, last = self._buckets.get(key, (self.burst, now))
        level = min(self.burst, level + (now - last) * self.rate)
        if level < 1:
            self._buckets[key] = (level, now)
            return False
        self._buckets[key] = (level - 1, now)
        if len(self._buckets) > 10_000:  # a flood of addresses must not grow memory forever
            self._buckets.clear()
        return True
