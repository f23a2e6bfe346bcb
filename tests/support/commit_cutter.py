"""A TCP proxy in front of PostgreSQL that cuts a connection at a COMMIT, on request.

Everything is relayed as is, but once armed the proxy watches the client's messages for
the n-th ``COMMIT`` (a simple-protocol ``Query`` message, as asyncpg sends it). Then it
either relays the COMMIT, waits until the server has answered (``ReadyForQuery``),
swallows that answer and closes both sockets (the commit landed; the client only sees
its connection lost), or closes both sockets without relaying it (nothing landed).
Either way the client cannot know which happened.
"""

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Self

# Untyped messages a client may send before its StartupMessage.
_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104
_SETTLE_TIMEOUT_S = 5.0


def _is_commit(message: bytes) -> bool:
    if message[:1] != b"Q":
        return False
    sql = message[5:].rstrip(b"\x00").strip().rstrip(b";").strip()
    return sql.upper() == b"COMMIT"


class _Messages:
    """Splits the client's byte stream into whole protocol messages."""

    def __init__(self) -> None:
        self._buffer = b""
        self._starting = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        self._buffer += data
        while True:
            header = 4 if self._starting else 5
            if len(self._buffer) < header:
                return
            length = int.from_bytes(self._buffer[header - 4 : header], "big")
            size = length if self._starting else 1 + length
            if len(self._buffer) < size:
                return
            message, self._buffer = self._buffer[:size], self._buffer[size:]
            if self._starting:
                code = int.from_bytes(message[4:8], "big")
                self._starting = code in (_SSL_REQUEST, _GSSENC_REQUEST)
            yield message


@dataclass
class _Cut:
    nth: int
    deliver: bool
    seen: int = 0


class CommitCutter:
    """``async with CommitCutter(host, port) as proxy:`` listens on ``proxy.port``."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._server: asyncio.Server | None = None
        self._cut: _Cut | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.cuts = 0  # how many connections were cut so far
        self.cut_done = asyncio.Event()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def cut_at_commit(self, nth: int = 1, *, deliver: bool) -> None:
        """Cut the connection that sends the ``nth`` COMMIT from now on; relay that COMMIT
        to the server first (and let it finish) when ``deliver``.
        """
        self._cut = _Cut(nth, deliver)
        self.cut_done.clear()

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            server_r, server_w = await asyncio.open_connection(*self._upstream)
        except OSError:
            client_w.close()
            self._connections.discard(task)
            return
        try:
            await _Relay(self, client_r, client_w, server_r, server_w).run()
        finally:
            for writer in (client_w, server_w):
                writer.close()
            self._connections.discard(task)

    def should_cut(self, message: bytes) -> _Cut | None:
        cut = self._cut
        if cut is None or not _is_commit(message):
            return None
        cut.seen += 1
        if cut.seen < cut.nth:
            return None
        self._cut = None
        return cut


class _Relay:
    """One proxied connection."""

    def __init__(
        self,
        proxy: CommitCutter,
        client_r: asyncio.StreamReader,
        client_w: asyncio.StreamWriter,
        server_r: asyncio.StreamReader,
        server_w: asyncio.StreamWriter,
    ) -> None:
        self._proxy = proxy
        self._client_r, self._client_w = client_r, client_w
        self._server_r, self._server_w = server_r, server_w
        self._muted = False
        self._answered = asyncio.Event()

    async def run(self) -> None:
        upstream = asyncio.create_task(self._from_client())
        downstream = asyncio.create_task(self._from_server())
        try:
            await asyncio.wait({upstream, downstream}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (upstream, downstream):
                task.cancel()
            await asyncio.gather(upstream, downstream, return_exceptions=True)

    async def _from_server(self) -> None:
        while data := await self._server_r.read(65536):
            if self._muted:
                # The answer to the cut COMMIT: swallowed; ReadyForQuery ends it.
                if b"Z\x00\x00\x00\x05" in data:
                    self._answered.set()
                continue
            self._client_w.write(data)
            await self._client_w.drain()

    async def _from_client(self) -> None:
        messages = _Messages()
        while data := await self._client_r.read(65536):
            for message in messages.feed(data):
                cut = self._proxy.should_cut(message)
                if cut is not None:
                    await self._cut(message, cut)
                    return
                self._server_w.write(message)
            await self._server_w.drain()

    async def _cut(self, commit: bytes, cut: _Cut) -> None:
        self._muted = True
        if cut.deliver:
            self._server_w.write(commit)
            await self._server_w.drain()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._answered.wait(), _SETTLE_TIMEOUT_S)
        self._proxy.cuts += 1
        self._proxy.cut_done.set()
