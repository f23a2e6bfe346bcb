"""From a bearer token to the id of a user who exists, in one step per request."""

import time
from collections import OrderedDict
from collections.abc import Callable

from application.ports import TokenService
from application.runner import UseCaseRunner
from application.use_cases.auth import current_user
from domain.ids import UserId

# Ids only (about 100 bytes each): a few MiB at most, and every active user fits.
KNOWN_USERS_CAPACITY = 65_536
# How long a user seen to exist and be active is trusted without a read: a user disabled
# meanwhile (``litestar users disable``) is refused at most this long after.
KNOWN_USER_TTL_SECONDS = 60.0


class Authenticator:
    """Accepts a token only when it is valid **and** its user exists.

    A signature proves who issued a token, not that its user is still there: a token
    signed for an unknown id must be refused on every route, before any use case runs
    (a write would otherwise trip over the user foreign key), and so must one of a user
    an administrator disabled. The last ``KNOWN_USERS_CAPACITY`` users seen to exist and
    be active are remembered per process for ``ttl_s`` seconds each: a remembered caller
    costs no round trip at all, and is read again once its time is up, so a disabled
    user's tokens stop working within ``ttl_s`` (0: read on every request).
    """

    def __init__(
        self,
        tokens: TokenService,
        run: UseCaseRunner,
        capacity: int = KNOWN_USERS_CAPACITY,
        ttl_s: float = KNOWN_USER_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._tokens = tokens
        self._run = run
        self._capacity = capacity
        self._ttl_s = ttl_s
        self._clock = clock
        # Each known user's expiry on ``clock``.
        self._known: OrderedDict[UserId, float] = OrderedDict()

    async def user_of(self, token: str) -> UserId:
        """The id ``token`` names; ``AuthenticationError`` when the token is invalid or
        names no user, or (once it is no longer remembered) a disabled one.
        """
        user_id = self._tokens.verify(token)
        expires = self._known.get(user_id)
        now = self._clock()
        if expires is not None:
            if now < expires:
                self._known.move_to_end(user_id)
                return user_id
            del self._known[user_id]
        await self._run(current_user, user_id)
        self._known[user_id] = now + self._ttl_s
        if len(self._known) > self._capacity:
            self._known.popitem(last=False)
        return user_id
