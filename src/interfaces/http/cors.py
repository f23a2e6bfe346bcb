"""Cross-origin access for browser clients: off unless origins are configured."""

from collections.abc import Sequence

from litestar.config.cors import CORSConfig
from litestar.types import Method

# What a browser client must send (conditional writes, request ids, idempotent retries)...
ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
]
# ...and must be able to read: Litestar exposes none by default, so without this list a
# browser could not read an ETag for If-Match, a Location, or when to retry.
EXPOSED_HEADERS = ["ETag", "Location", "Retry-After", "WWW-Authenticate", "X-Request-ID"]
METHODS: list[Method] = ["GET", "POST", "PATCH", "DELETE", "OPTIONS"]
PREFLIGHT_CACHE_SECONDS = 600


def cors_config(origins: Sequence[str]) -> CORSConfig | None:
    """CORS for ``origins`` (``*`` for any), or ``None`` when none are configured: then
    no CORS header is ever sent and browsers keep their same-origin rule.
    """
    if not origins:
        return None
    return CORSConfig(
        allow_origins=list(origins),
        allow_methods=list(METHODS),
        allow_headers=list(ALLOWED_HEADERS),
        expose_headers=list(EXPOSED_HEADERS),
        # Bearer tokens travel in a header, never in cookies: no credentials mode.
        allow_credentials=False,
        max_age=PREFLIGHT_CACHE_SECONDS,
    )
