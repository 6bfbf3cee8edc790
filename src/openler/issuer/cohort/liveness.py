"""Which worker holds a cohort job, and whether that worker is known to be dead.

A worker that claims a job writes its identity into `cohort_jobs.worker`:
``<host>:<pid>:<nonce>``. The host part is the host name plus, on Linux, the
inode of the process's PID namespace, so two containers that happen to share a
host name are not mistaken for one another. The nonce tells two lives of the
same process id apart in logs and makes every claim's identity unique.

The rule that uses it (see `jobs.claim`): a claimer on the same host may take a
running job over at once when the holder's process id no longer exists
(``os.kill(pid, 0)`` raises ProcessLookupError). Anything else (another host,
a process that exists, a process id reused by an unrelated program, a platform
without POSIX signals) counts as alive, and the job is taken over only when its
heartbeat is stale. Mistaking a live worker for a dead one is the one error that
would matter, so every doubt falls on the side of "alive".
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class WorkerId:
    """A worker's host, process id and per-process nonce."""

    host: str
    pid: int
    nonce: str

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.nonce}"


@cache
def host_id() -> str:
    """This machine as seen by process ids: host name and PID namespace (where known)."""
    name = socket.gethostname().replace(":", "_")[:200] or "localhost"
    try:
        return f"{name}~{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:  # not Linux, or /proc not mounted
        return name


_NONCES: dict[int, str] = {}


def this_worker() -> WorkerId:
    """The identity this process records when it claims a job (new nonce after a fork)."""
    pid = os.getpid()
    nonce = _NONCES.setdefault(pid, secrets.token_hex(8))
    return WorkerId(host_id(), pid, nonce)


def parse(value: str | None) -> WorkerId | None:
    """Read a recorded identity; None when absent or not in our format."""
    if not value:
        return None
    host, sep, rest = value.rpartition(":")
    host, sep2, pid = host.rpartition(":")
    if not (sep and sep2 and host and pid.isdigit() and rest):
        return None
    return WorkerId(host, int(pid), rest)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists here; True whenever that cannot be known."""
    if os.name != "posix" or pid <= 0:
        return True  # on Windows os.kill(pid, 0) would terminate the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists but belongs to another user
        return True
    return True


def known_dead(value: str | None) -> bool:
    """True only when the recorded worker ran on this host and its process is gone."""
    worker = parse(value)
    if worker is None or worker.host != host_id():
        return False
    if worker.pid == os.getpid():  # our own pid: it is us, or an earlier life of this pid
        return worker.nonce != this_worker().nonce
    return not pid_alive(worker.pid)
