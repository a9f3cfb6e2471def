"""Wrong tokens slowed down: after ``max_wrong_tokens`` wrong tokens from one client address
within ``wrong_token_window`` seconds, that address's next attempts are refused (429) until
the oldest of them leaves the window, without the token being checked, the right one
included. The API's bearer token and the web form's token page count alike.

Memory is bounded: at most ``max_tracked_addresses`` addresses are kept, each with at most
``max_wrong_tokens`` times; past that, the address whose last wrong token is the oldest is
dropped. An IPv6 client is counted by its /64 network (one subscriber's usual allocation),
so it cannot start afresh by changing its interface identifier. A right token resets no
counter, its own address's included: behind a reverse proxy, every client shares the
proxy's address, and a user logging in must not let a guesser start again.
"""

from __future__ import annotations

import ipaddress
import math
import threading
from collections import OrderedDict, deque
from collections.abc import Callable

IPV6_PREFIX = 64
"""The IPv6 network one client is counted by."""


def client_key(address: str | None) -> str:
    """The counter an address is counted under: an IPv4 address as is, an IPv6 one by its
    /64 network, anything else (a proxy's unparsable value, no address) as given."""
    if not address:
        return "-"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False))
    return str(parsed)


class WrongTokens:
    """The recent wrong tokens of each client address, and whether one is refused."""

    def __init__(
        self,
        max_wrong_tokens: int,
        window: float,
        max_addresses: int,
        clock: Callable[[], float],
    ) -> None:
        self.max_wrong_tokens = max_wrong_tokens
        self.window = window
        self.max_addresses = max_addresses
        self._clock = clock
        self._times: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, address: str | None) -> int | None:
        """Whole seconds until ``address`` may try a token again; None: it may now."""
        key = client_key(address)
        now = self._clock()
        with self._lock:
            times = self._times.get(key)
            if times is None:
                return None
            self._forget_old(times, now)
            if not times:
                del self._times[key]
                return None
            if len(times) < self.max_wrong_tokens:
                return None
            # within 1 s and the window, whatever the wall clock did meanwhile
            return min(max(1, math.ceil(times[0] + self.window - now)), math.ceil(self.window))

    def record(self, address: str | None) -> None:
        """A wrong token from ``address``, now."""
        key = client_key(address)
        now = self._clock()
        with self._lock:
            times = self._times.pop(key, None)
            if times is None:
                times = deque(maxlen=self.max_wrong_tokens)
            self._forget_old(times, now)
            times.append(now)
            self._times[key] = times  # the most recent last
            while len(self._times) > self.max_addresses:
                self._times.popitem(last=False)

    def tracked(self) -> int:
        """How many addresses are kept (the bound's check)."""
        with self._lock:
            return len(self._times)

    def _forget_old(self, times: deque[float], now: float) -> None:
        while times and not now - self.window < times[0] <= now + self.window:
            times.popleft()
