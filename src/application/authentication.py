"""From a bearer token to the id of a user who exists, in one step per request."""

from collections import OrderedDict

from application.ports import TokenService
from application.runner import UseCaseRunner
from application.use_cases.auth import current_user
from domain.ids import UserId

# Ids only (about 100 bytes each): a few MiB at most, and every active user fits.
KNOWN_USERS_CAPACITY = 65_536


class Authenticator:
    """Accepts a token only when it is valid **and** its user exists.

    A signature proves who issued a token, not that its user is still there: a token
    signed for an unknown id must be refused on every route, before any use case runs
    (a write would otherwise trip over the user foreign key). Users are never deleted
    through the API, so an id seen to exist stays valid: the last
    ``KNOWN_USERS_CAPACITY`` of them are remembered per process, and a remembered
    caller costs no round trip at all.
    """

    def __init__(
        self, tokens: TokenService, run: UseCaseRunner, capacity: int = KNOWN_USERS_CAPACITY
    ) -> None:
        self._tokens = tokens
        self._run = run
        self._capacity = capacity
        self._known: OrderedDict[UserId, None] = OrderedDict()

    async def user_of(self, token: str) -> UserId:
        """The id ``token`` names; ``AuthenticationError`` when the token is invalid or
        names no user.
        """
        user_id = self._tokens.verify(token)
        if user_id in self._known:
            self._known.move_to_end(user_id)
            return user_id
        await self._run(current_user, user_id)
        self._known[user_id] = None
        if len(self._known) > self._capacity:
            self._known.popitem(last=False)
        return user_id
