"""Registering, logging in and finding the current user."""

from application.dto import LogInCommand, RegisterCommand
from application.ports import (
    AccessToken,
    AttemptLimiter,
    AttemptRule,
    PasswordHasher,
    TokenService,
)
from domain.errors import AuthenticationError, InvalidInputError, TooManyRequestsError
from domain.ids import UserId
from domain.unit_of_work import UnitOfWork
from domain.user import (
    NO_SUCH_USER,
    USER_DISABLED,
    NewUser,
    User,
    checked_display_name,
    checked_password,
    normalized_email,
)

BAD_LOGIN = "e-mail or password is wrong"


def _refuse(wait_s: int) -> None:
    """``TooManyRequestsError`` while an attempt limit has the caller wait."""
    if wait_s > 0:
        raise TooManyRequestsError(f"too many attempts; try again in {wait_s} s", wait_s)


async def register(
    uow: UnitOfWork, hasher: PasswordHasher, limiter: AttemptLimiter, command: RegisterCommand
) -> User:
    """Create a user; ``ConflictError`` when the e-mail is taken in any letter case.

    Every attempt counts against the caller's address, and every valid one against the
    e-mail; past either limit, ``TooManyRequestsError`` before any hashing.
    """
    _refuse(await limiter.hit(AttemptRule.REGISTER_PER_ADDRESS, command.client_address))
    # Validate everything before the slow hash so bad input answers fast.
    email = normalized_email(command.email)
    checked_password(command.password)
    checked_display_name(command.display_name)
    _refuse(await limiter.hit(AttemptRule.REGISTER_PER_ACCOUNT, email))
    password_hash = await hasher.hash(command.password)
    async with uow:
        user = await uow.users.add(NewUser(email, password_hash, command.display_name))
        await uow.commit()
    return user


async def log_in(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    tokens: TokenService,
    limiter: AttemptLimiter,
    command: LogInCommand,
) -> AccessToken:
    """A token for matching credentials; ``AuthenticationError`` for any mismatch,
    taking as long for an unknown e-mail as for a wrong password. A disabled user is
    refused exactly like a wrong password (same error, same time, counted the same), so
    the answer does not reveal that the account exists or was disabled.

    Every attempt counts against the caller's address; only failures count against the
    e-mail (known or not, so a lock reveals nothing), and a locked e-mail is refused
    with ``TooManyRequestsError`` before any hashing, even with the right password.
    """
    _refuse(await limiter.hit(AttemptRule.LOGIN_PER_ADDRESS, command.client_address))
    try:
        email = normalized_email(command.email)
    except InvalidInputError:
        email = None
    user = None
    if email is not None:
        _refuse(await limiter.peek(AttemptRule.LOGIN_FAILURES_PER_ACCOUNT, email))
        async with uow.reading():
            user = await uow.users.get_by_email(email)
    if user is None:
        await hasher.burn(command.password)
    elif await hasher.verify(user.password_hash, command.password) and not user.is_disabled:
        return tokens.issue(user.id)
    if email is not None:
        await limiter.hit(AttemptRule.LOGIN_FAILURES_PER_ACCOUNT, email)
    raise AuthenticationError(BAD_LOGIN)


async def current_user(uow: UnitOfWork, user_id: UserId) -> User:
    """The user a valid token names; ``AuthenticationError`` if it no longer exists or
    was disabled.
    """
    async with uow.reading():
        user = await uow.users.get(user_id)
    if user is None:
        raise AuthenticationError(NO_SUCH_USER)
    if user.is_disabled:
        raise AuthenticationError(USER_DISABLED)
    return user
