"""Attempt limits on /auth over HTTP, on the default limits: 429 problem+json with
``Retry-After``; and the hashing bound: 503 with ``Retry-After``, never a queue.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import replace

import httpx
import pytest
import pytest_asyncio

from infrastructure.settings import Settings
from interfaces.app import create_app
from tests.http.conftest import FAST
from tests.http.support import PASSWORD, assert_problem
from tests.support.asgi import asgi_transport, serving
from tests.support.tokens import TEST_JWT_SECRET

pytestmark = pytest.mark.asyncio

HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.20"
Clients = Callable[[str], httpx.AsyncClient]


@pytest.fixture
def settings() -> Settings:
    """Cheap hashing and the default limits, counted in memory."""
    return Settings(
        persistence="memory",
        jwt_secret=TEST_JWT_SECRET,
        argon2_time_cost=FAST.argon2_time_cost,
        argon2_memory_kib=FAST.argon2_memory_kib,
        log_level="WARNING",
    )


@pytest_asyncio.fixture
async def clients(settings: Settings) -> AsyncIterator[Clients]:
    """Clients of one fresh app, each calling from the network address it is given."""
    app = create_app(settings)
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(serving(app))

        def client(address: str) -> httpx.AsyncClient:
            transport = asgi_transport(app, client=(address, 50000))
            client = httpx.AsyncClient(transport=transport, base_url="http://tasklane.test")
            stack.push_async_callback(client.aclose)
            return client

        yield client


async def register(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/auth/register", json={"email": email, "password": PASSWORD})


async def log_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/auth/login", json={"email": email, "password": password})


def assert_too_many(response: httpx.Response, most_s: int) -> int:
    """A 429 problem whose ``Retry-After`` is whole seconds in 1..``most_s``."""
    assert_problem(response, 429)
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= most_s
    return retry_after


async def test_the_eleventh_wrong_password_in_a_row_for_one_account_is_429(
    clients: Clients,
) -> None:
    home = clients(HOME)
    assert (await register(home, "ada@example.com")).status_code == 201
    for _ in range(10):
        assert (await log_in(home, "ada@example.com", "wrong password")).status_code == 401
    retry_after = assert_too_many(await log_in(home, "ada@example.com", "wrong password"), 900)
    assert retry_after >= 890
    # Locked for everyone, the right password and other addresses included, until then.
    assert_too_many(await log_in(clients(ELSEWHERE), "ADA@example.com", PASSWORD), 900)
    # Another account from the same address is not affected.
    assert (await register(home, "bob@example.com")).status_code == 201
    assert (await log_in(home, "bob@example.com", PASSWORD)).status_code == 200


async def test_successful_log_ins_never_lock_their_account(clients: Clients) -> None:
    home = clients(HOME)
    await register(home, "ada@example.com")
    for _ in range(9):
        assert (await log_in(home, "ada@example.com", "wrong password")).status_code == 401
    for _ in range(12):
        assert (await log_in(home, "ada@example.com", PASSWORD)).status_code == 200
    assert (await log_in(home, "ada@example.com", "wrong password")).status_code == 401


async def test_one_address_is_limited_across_accounts(clients: Clients) -> None:
    home = clients(HOME)
    for number in range(30):
        response = await log_in(home, f"user{number}@example.com", "guess")
        assert response.status_code == 401
    assert_too_many(await log_in(home, "user99@example.com", "guess"), 60)
    # A forwarding header is the client's word, not its address: the server's proxy
    # handling (uvicorn --forwarded-allow-ips) decides, not the handler.
    forged = {"X-Forwarded-For": "203.0.113.5", "X-Real-IP": "203.0.113.5"}
    body = {"email": "user99@example.com", "password": "guess"}
    assert_too_many(await home.post("/auth/login", json=body, headers=forged), 60)
    assert (await log_in(clients(ELSEWHERE), "user99@example.com", "guess")).status_code == 401


async def test_registering_is_limited_per_email_and_per_address(clients: Clients) -> None:
    home = clients(HOME)
    assert (await register(home, "ada@example.com")).status_code == 201
    for _ in range(4):
        assert (await register(home, "Ada@example.com")).status_code == 409
    assert_too_many(await register(clients(ELSEWHERE), "ADA@example.com"), 3600)
    for number in range(14):
        assert (await register(home, f"user{number}@example.com")).status_code == 201
    # Twenty attempts from this address so far, the refused one not among them.
    assert (await register(home, "user14@example.com")).status_code == 201
    assert_too_many(await register(home, "late@example.com"), 3600)
    assert (await register(clients(ELSEWHERE), "late@example.com")).status_code == 201


class TestHashingBound:
    @pytest.fixture
    def settings(self) -> Settings:
        # Argon2 at its production cost (about 0.17 s a hash here), so the burst below
        # overlaps it; one hash at a time and one more waiting.
        return replace(
            FAST,
            argon2_time_cost=Settings().argon2_time_cost,
            argon2_memory_kib=Settings().argon2_memory_kib,
            password_hash_concurrency=1,
            password_hash_queue=1,
        )

    async def test_sign_ins_past_the_bound_are_503_at_once(self, clients: Clients) -> None:
        burst = [log_in(clients(f"192.0.2.{n}"), f"u{n}@example.com", "guess") for n in range(6)]
        responses = await asyncio.gather(*burst)
        statuses = sorted(response.status_code for response in responses)
        assert statuses == [401, 401, 503, 503, 503, 503]
        for response in responses:
            if response.status_code == 503:
                body = assert_problem(response, 503)
                assert body["detail"] == "too many sign-ins at once, try again shortly"
                assert int(response.headers["retry-after"]) >= 1
        # The bound frees as the hashes end.
        assert (await log_in(clients(HOME), "ada@example.com", "guess")).status_code == 401
