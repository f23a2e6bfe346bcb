"""Registering, logging in and reading the current user."""

from litestar import Controller, get, post
from litestar.params import RawBody

from application.use_cases import auth
from interfaces.http.bodies import StrictDecoder
from interfaces.http.markers import (
    CallerDep,
    PasswordHasherDep,
    RunDep,
    TokenServiceDep,
)
from interfaces.http.openapi import BEARER, json_body
from interfaces.http.schemas.auth import LoginRequest, RegisterRequest, TokenResponse, UserResponse

_register = StrictDecoder(RegisterRequest)
_login = StrictDecoder(LoginRequest)


class AuthController(Controller):
    """``/auth``: the only routes besides health that need no token (but ``/auth/me``)."""

    path = "/auth"
    tags = ["auth"]

    @post("/register", status_code=201, operation_class=json_body(RegisterRequest))
    async def register(
        self,
        body: RawBody,
        run: RunDep,
        hasher: PasswordHasherDep,
    ) -> UserResponse:
        """Create an account; 409 when the e-mail is taken in any letter case."""
        user = await run(auth.register, hasher, _register.decode(body).to_command())
        return UserResponse.of(user)

    @post("/login", status_code=200, operation_class=json_body(LoginRequest))
    async def login(
        self,
        body: RawBody,
        run: RunDep,
        hasher: PasswordHasherDep,
        tokens: TokenServiceDep,
    ) -> TokenResponse:
        """Exchange credentials for a bearer token; 401 for any mismatch."""
        token = await run(auth.log_in, hasher, tokens, _login.decode(body).to_command())
        return TokenResponse.of(token)

    @get("/me", security=BEARER)
    async def me(self, me: CallerDep) -> UserResponse:
        """The user the token names."""
        return UserResponse.of(await me.run(auth.current_user, me.id))
