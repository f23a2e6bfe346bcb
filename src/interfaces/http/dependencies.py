"""Dependency names and providers: what the composition root hands to the handlers."""

from dataclasses import dataclass, field

from litestar.di import Provide

from application.authentication import Authenticator
from application.jobs.settings import JobSettings
from application.ports import AttemptLimiter, DatabaseProbe, PasswordHasher, TokenService
from application.runner import UseCaseRunner
from interfaces.http.auth import caller_provider

RUN = "run"
HASHER = "hasher"
LIMITER = "limiter"
TOKENS = "tokens"
PROBE = "probe"
CALLER = "me"
JOBS = "job_settings"


@dataclass(frozen=True, slots=True)
class Services:
    """The adapters the composition root chose."""

    run: UseCaseRunner
    hasher: PasswordHasher
    tokens: TokenService
    probe: DatabaseProbe
    limiter: AttemptLimiter
    jobs: JobSettings = field(default_factory=JobSettings)


def dependencies(services: Services) -> dict[str, Provide]:
    """Providers: the use-case runner (a fresh unit of work per attempt), the shared
    services, and the current user's id for the handlers that ask for it.
    """

    def provide_run() -> UseCaseRunner:
        return services.run

    def provide_hasher() -> PasswordHasher:
        return services.hasher

    def provide_limiter() -> AttemptLimiter:
        return services.limiter

    def provide_tokens() -> TokenService:
        return services.tokens

    def provide_probe() -> DatabaseProbe:
        return services.probe

    def provide_jobs() -> JobSettings:
        return services.jobs

    return {
        RUN: Provide(provide_run, sync_to_thread=False),
        HASHER: Provide(provide_hasher, sync_to_thread=False),
        LIMITER: Provide(provide_limiter, sync_to_thread=False),
        TOKENS: Provide(provide_tokens, sync_to_thread=False),
        PROBE: Provide(provide_probe, sync_to_thread=False),
        JOBS: Provide(provide_jobs, sync_to_thread=False),
        CALLER: Provide(
            caller_provider(Authenticator(services.tokens, services.run), services.run)
        ),
    }
