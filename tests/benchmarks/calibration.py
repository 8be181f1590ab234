"""How fast this host runs plain Python today: the same hosts differ by up to 2× between sessions (a shared
virtual machine), so each report states it beside its figures."""

import time


def python_loop_seconds() -> float:
    """Best of three: ten million additions in a plain loop (0.45–0.5 s on an unloaded modern x86 core)."""

    def once() -> float:
        start = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        return time.perf_counter() - start

    return min(once() for _ in range(3))
