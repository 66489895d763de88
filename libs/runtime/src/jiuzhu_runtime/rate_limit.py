"""Per-address rate limit for public endpoints (issue 5): a token bucket per client address, in
memory per process. Behind a proxy, the proxy must set the client address (uvicorn --proxy-headers)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from fastapi import HTTPException, Request, status


@dataclass(eq=False)  # identity-hashed: FastAPI caches dependencies by them
class RateLimit:
    per_minute: int
    max_clients: int = 10_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, request: Request) -> int | None:
        """Take one request from the caller's bucket: ``None`` when allowed, otherwise the seconds
        to wait (for a page of one's own, e.g. a citizen's, instead of the JSON 429)."""
        client = request.client.host if request.client else "unknown"
        now = time.monotonic()
        tokens, last = self._buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)
        if tokens < 1.0:
            return max(1, math.ceil((1.0 - tokens) * 60 / self.per_minute))
        if len(self._buckets) >= self.max_clients and client not in self._buckets:
            self._buckets.pop(next(iter(self._buckets)))
        self._buckets[client] = (tokens - 1.0, now)
        return None

    async def __call__(self, request: Request) -> None:
        wait = self.take(request)
        if wait is not None:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                f"请求过于频繁：同一地址每分钟最多{self.per_minute}次 / "
                                f"too many requests: at most {self.per_minute} a minute from one address",
                                headers={"Retry-After": str(wait)})
