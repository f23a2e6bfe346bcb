"""What the composition root hands to the handlers: each dependency's marker type, its
key and its provider, in one place.

Litestar hands a dependency to the handler parameter of the same name, so each marker has
one key (``KEYS``); tests/http/test_dependencies.py proves every marked parameter is
named after it.
"""

from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation

from application.authentication import KNOWN_USER_TTL_SECONDS, Authenticator
from application.jobs.settings import JobSettings
from application.ports import AttemptLimiter, DatabaseProbe, PasswordHasher, TokenService
from application.runner import UseCaseRunner
from domain.ids import UserId
from interfaces.http.access_log import note_caller
from interfaces.http.bearer import authorization_of, bearer_token
from interfaces.http.cursors import CursorCodec


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user of a request, the runner of its use cases, and the codec
    of its list cursors.

    One object rather than several dependencies: Litestar resolves sibling dependencies
    in a task group, which costs more than the rest of a cached read.
    """

    id: UserId
    run: UseCaseRunner
    cursors: CursorCodec


# Parameter types for handlers. Validation is skipped: Protocols cannot be checked with
# isinstance, and these values come from our own providers.
RunDep = NamedDependency[SkipValidation[UseCaseRunner]]
PasswordHasherDep = NamedDependency[SkipValidation[PasswordHasher]]
AttemptLimiterDep = NamedDependency[SkipValidation[AttemptLimiter]]
TokenServiceDep = NamedDependency[SkipValidation[TokenService]]
DatabaseProbeDep = NamedDependency[SkipValidation[DatabaseProbe]]
JobSettingsDep = NamedDependency[SkipValidation[JobSettings]]
CallerDep = NamedDependency[SkipValidation[Caller]]

# The name a parameter of each marker type must have.
KEYS: dict[object, str] = {
    RunDep: "run",
    PasswordHasherDep: "hasher",
    AttemptLimiterDep: "limiter",
    TokenServiceDep: "tokens",
    DatabaseProbeDep: "probe",
    JobSettingsDep: "job_settings",
    CallerDep: "me",
}


@dataclass(frozen=True, slots=True)
class Services:
    """The adapters the composition root chose."""

    run: UseCaseRunner
    hasher: PasswordHasher
    tokens: TokenService
    probe: DatabaseProbe
    limiter: AttemptLimiter
    cursors: CursorCodec
    jobs: JobSettings = field(default_factory=JobSettings)
    # How long a user seen active is trusted before it is read again (disabled users).
    known_user_ttl_s: float = KNOWN_USER_TTL_SECONDS


def dependencies(services: Services) -> dict[str, Provide]:
    """Providers: the shared services as they are, and the caller: the existing user
    named by a valid bearer token (401 otherwise), with the use-case runner bound, so
    that Litestar resolves a single dependency per authenticated request.
    """
    authenticator = Authenticator(services.tokens, services.run, ttl_s=services.known_user_ttl_s)

    async def provide_caller(request: Request[Any, Any, Any]) -> Caller:
        token = bearer_token(authorization_of(request.scope))
        user_id = await authenticator.user_of(token)
        note_caller(user_id)
        return Caller(user_id, services.run, services.cursors)

    shared: dict[object, object] = {
        RunDep: services.run,
        PasswordHasherDep: services.hasher,
        AttemptLimiterDep: services.limiter,
        TokenServiceDep: services.tokens,
        DatabaseProbeDep: services.probe,
        JobSettingsDep: services.jobs,
    }
    providers = {KEYS[marker]: _constant(value) for marker, value in shared.items()}
    return providers | {KEYS[CallerDep]: Provide(provide_caller)}


def _constant(value: object) -> Provide:
    def provide() -> object:
        return value

    return Provide(provide, sync_to_thread=False)
