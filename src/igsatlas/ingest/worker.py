"""One task in a worker process beside the import: its answer or its error comes back through a pipe; it ends
with the import that started it, however that ends."""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection as Pipe
from typing import Any


def _end_with_parent() -> None:
    """The worker ends when the import that started it ends, even by kill -9 (Linux: PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


def _serve(send: Pipe, task: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """In the worker: run the task and send back (True, result) or (False, the exception it raised)."""
    _end_with_parent()
    try:
        outcome = (True, task(*args))
    except Exception as exc:  # handed to the parent, which raises it
        outcome = (False, exc)
    send.send(outcome)
    send.close()


@contextmanager
def in_worker(task: Callable[..., Any], *args: Any, daemon: bool = True) -> Iterator[Callable[[], Any]]:
    """Run ``task(*args)`` in a worker process while the body runs; the body calls what this yields for the
    result (or the exception the task raised). When the body fails first, the worker is killed at once
    instead of being waited for: a bad CSV file is reported without waiting for the shapefiles. A task that
    starts a worker of its own runs with ``daemon=False`` (multiprocessing's daemons may have no children; it
    still ends with its parent, see _end_with_parent)."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_serve, args=(send, task, args), daemon=daemon)
    worker.start()
    send.close()

    def result() -> Any:
        try:
            ok, value = receive.recv()
        except EOFError:
            worker.join(5)
            raise RuntimeError(
                f"the import's worker process ended without an answer (exit code {worker.exitcode})"
            ) from None
        if not ok:
            raise value
        return value

    try:
        yield result
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receive.close()
