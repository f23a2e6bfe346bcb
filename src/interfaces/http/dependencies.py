"""Dependency names and providers: what the composition root hands to the handlers."""

from collections.abc import Callable
from dataclasses import dataclass

from litestar.di import Provide

from application.ports import DatabaseProbe, PasswordHasher, TokenService
from domain.unit_of_work import UnitOfWork
from interfaces.http.auth import provide_user_id

UOW = "uow"
HASHER = "hasher"
TOKENS = "tokens"
PROBE = "probe"
USER_ID = "user_id"


@dataclass(frozen=True, slots=True)
class Services:
    """The adapters the composition root chose."""

    unit_of_work_factory: Callable[[], UnitOfWork]
    hasher: PasswordHasher
    tokens: TokenService
    probe: DatabaseProbe


def dependencies(services: Services) -> dict[str, Provide]:
    """Providers: a fresh unit of work per request (the use case enters it), the shared
    services, and the current user's id for the handlers that ask for it.
    """
    factory = services.unit_of_work_factory

    def provide_uow() -> UnitOfWork:
        return factory()

    def provide_hasher() -> PasswordHasher:
        return services.hasher

    def provide_tokens() -> TokenService:
        return services.tokens

    def provide_probe() -> DatabaseProbe:
        return services.probe

    return {
        UOW: Provide(provide_uow, sync_to_thread=False),
        HASHER: Provide(provide_hasher, sync_to_thread=False),
        TOKENS: Provide(provide_tokens, sync_to_thread=False),
        PROBE: Provide(provide_probe, sync_to_thread=False),
        USER_ID: Provide(provide_user_id, sync_to_thread=False),
    }
