"""Background work that builds what a visitor would otherwise wait for: at start-up, and again after each write
(a new content version). It runs the site's steps one at a time in one thread, gives way to visitors before each
step (web/visits.py), stops at the next step when the site stops, and a write seen meanwhile makes it run once
more. A failure only leaves the work to the first visit that needs it; /status.json says so.

When the steps are done, what they built lives as long as the content version, and is frozen out of the cyclic
collector's walks (gc.freeze): a full collection then walks none of its some 270,000 objects (measured after a
warm-up of the imported register: 1.2-1.6 s per full collection on a busy 2-core machine, about 0.1 s on a quiet
one, felt as a randomly slow page; under 1 ms frozen). A new content version unfreezes it, so that what the old
one held can be collected."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from igsatlas.web.visits import Visitors

Steps = Callable[[], Iterator[Callable[[], object]]]


@dataclass
class WarmUp:
    steps: Steps  # what to build, step by step (see Site.warm_steps)
    visitors: Visitors
    warmed: threading.Event = field(default_factory=threading.Event)  # set when the last run has ended
    failure: str | None = None  # why the last run failed (the process keeps serving)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _thread: threading.Thread | None = None
    _again: bool = False

    def start(self) -> None:
        """Run the steps in a background thread; if they are running, run them once more when they end."""
        with self._lock:
            if self._stopping.is_set():  # a write seen while stopping: its states are the next process's job
                return
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self.warmed.clear()
            self._thread = threading.Thread(target=self._loop, name="igs-warm-up", daemon=True)
            self._thread.start()

    def new_version(self) -> None:
        """A write made a new content version: what the old one held may go, and the new one is built (if this
        site warms up at all: a site that never started its warm-up leaves the work to its visitors)."""
        gc.unfreeze()
        if self._thread is not None:
            self.start()

    def _loop(self) -> None:
        while True:
            self._again = False
            self.run()
            with self._lock:
                if not self._again or self._stopping.is_set():
                    return

    def run(self) -> None:
        """Every step, in this thread."""
        try:
            for step in self.steps():
                if self._stopping.is_set():
                    return
                self.visitors.give_way(self._stopping)
                step()
            gc.collect()
            gc.freeze()
            self.failure = None
        except Exception as exc:  # the page that needs it will build it again and show the error there
            logging.getLogger("igsatlas.web").exception("warming up the register states failed")
            self.failure = f"{type(exc).__name__}: {exc}"
        finally:
            self.warmed.set()

    def stop(self) -> None:
        """The site is stopping: the work ends at its next step (and gives its connections back)."""
        self._stopping.set()
        self.visitors.wake()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=120)
