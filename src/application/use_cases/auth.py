"""Registering, logging in and finding the current user."""

from application.dto import LogInCommand, RegisterCommand
from application.ports import AccessToken, PasswordHasher, TokenService
from domain.errors import AuthenticationError, InvalidInputError
from domain.ids import UserId
from domain.unit_of_work import UnitOfWork
from domain.user import (
    NO_SUCH_USER,
    NewUser,
    User,
    checked_display_name,
    checked_password,
    normalized_email,
)

BAD_LOGIN = "e-mail or password is wrong"


async def register(uow: UnitOfWork, hasher: PasswordHasher, command: RegisterCommand) -> User:
    """Create a user; ``ConflictError`` when the e-mail is taken in any letter case."""
    # Validate everything before the slow hash so bad input answers fast.
    email = normalized_email(command.email)
    checked_password(command.password)
    checked_display_name(command.display_name)
    password_hash = await hasher.hash(command.password)
    async with uow:
        user = await uow.users.add(NewUser(email, password_hash, command.display_name))
        await uow.commit()
    return user


async def log_in(
    uow: UnitOfWork, hasher: PasswordHasher, tokens: TokenService, command: LogInCommand
) -> AccessToken:
    """A token for matching credentials; ``AuthenticationError`` for any mismatch,
    taking as long for an unknown e-mail as for a wrong password.
    """
    try:
        email = normalized_email(command.email)
    except InvalidInputError:
        email = None
    user = None
    if email is not None:
        async with uow.reading():
            user = await uow.users.get_by_email(email)
    if user is None:
        await hasher.burn(command.password)
        raise AuthenticationError(BAD_LOGIN)
    if not await hasher.verify(user.password_hash, command.password):
        raise AuthenticationError(BAD_LOGIN)
    return tokens.issue(user.id)


async def current_user(uow: UnitOfWork, user_id: UserId) -> User:
    """The user a valid token names; ``AuthenticationError`` if it no longer exists."""
    async with uow.reading():
        user = await uow.users.get(user_id)
    if user is None:
        raise AuthenticationError(NO_SUCH_USER)
    return user
