"""Per-address rate limit for public endpoints (issue 5): a token bucket per client address, in
memory per process. Behind a proxy, the proxy must set the client address (uvicorn --proxy-headers)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from fastapi import HTTPException, Request, status


@dataclass(eq=False)  # identity-hashed: FastAPI caches dependencies by them
class RateLimit:
    per_minute: int
    max_clients: int = 10_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    async def __call__(self, request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        now = time.monotonic()
        tokens, last = self._buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)
        if tokens < 1.0:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                f"too many requests: at most {self.per_minute} a minute from one address",
                                headers={"Retry-After": str(int(60 / self.per_minute) + 1)})
        if len(self._buckets) >= self.max_clients and client not in self._buckets:
            self._buckets.pop(next(iter(self._buckets)))
        self._buckets[client] = (tokens - 1.0, now)
