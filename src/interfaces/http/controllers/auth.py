"""Registering, logging in and reading the current user."""

from dataclasses import replace
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import RawBody

from application.dto import UNKNOWN_CLIENT, LogInCommand, RegisterCommand
from application.use_cases import auth
from interfaces.http import errors
from interfaces.http.bodies import StrictDecoder
from interfaces.http.dependencies import (
    AttemptLimiterDep,
    CallerDep,
    PasswordHasherDep,
    RunDep,
    TokenServiceDep,
)
from interfaces.http.openapi import AUTHENTICATED, BEARER, STORED, documented
from interfaces.http.schemas.auth import LoginRequest, RegisterRequest, TokenResponse, UserResponse

_register = StrictDecoder(RegisterRequest)
_login = StrictDecoder(LoginRequest)


class AuthController(Controller):
    """``/auth``: the only routes besides health that need no token (but ``/auth/me``)."""

    path = "/auth"
    tags = ["auth"]

    @post(
        "/register",
        status_code=201,
        **documented(
            "register",
            body=RegisterRequest,
            problems=(*STORED, errors.CONFLICT, errors.TOO_MANY_REQUESTS),
        ),
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        body: RawBody,
        run: RunDep,
        hasher: PasswordHasherDep,
        limiter: AttemptLimiterDep,
    ) -> UserResponse:
        """Create an account; 409 when the e-mail is taken in any letter case, 429 past
        the sign-up limits.
        """
        command = _register.decode(body).to(RegisterCommand)
        command = replace(command, client_address=client_address(request))
        user = await run(auth.register, hasher, limiter, command)
        return UserResponse.of(user)

    @post(
        "/login",
        status_code=200,
        **documented(
            "logIn",
            body=LoginRequest,
            problems=(*STORED, errors.UNAUTHORIZED, errors.TOO_MANY_REQUESTS),
        ),
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        body: RawBody,
        run: RunDep,
        hasher: PasswordHasherDep,
        tokens: TokenServiceDep,
        limiter: AttemptLimiterDep,
    ) -> TokenResponse:
        """Exchange credentials for a bearer token; 401 for any mismatch, 429 past the
        log-in limits.
        """
        command = _login.decode(body).to(LogInCommand)
        command = replace(command, client_address=client_address(request))
        token = await run(auth.log_in, hasher, tokens, limiter, command)
        return TokenResponse.of(token)

    @get("/me", security=BEARER, **documented("getCurrentUser", problems=AUTHENTICATED))
    async def me(self, me: CallerDep) -> UserResponse:
        """The user the token names."""
        return UserResponse.of(await me.run(auth.current_user, me.id))


def client_address(request: Request[Any, Any, Any]) -> str:
    """The ASGI peer's address. Behind a proxy that is the proxy, unless the server
    rewrites it from trusted forwarding headers (uvicorn's ``--proxy-headers`` with
    ``--forwarded-allow-ips``): never read those headers here, any client can send them.
    """
    return request.client.host if request.client else UNKNOWN_CLIENT
