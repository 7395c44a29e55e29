"""Long work off the request thread: one thread per job, a bounded number at once, their
progress and outcome kept for a while in this process.

Jobs live in the memory of the process that started them: behind a load balancer, a client
asks the same process (sticky sessions) or runs the work from the command line.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from werkzeug.exceptions import TooManyRequests

from ledger.errors import Conflict, LedgerError, NotFound
from web.serving.problems import LEDGER_PROBLEMS

MAX_RUNNING = 4
KEEP_SECONDS = 3600.0
MAX_KEPT = 200
RETRY_AFTER_SECONDS = 5

log = logging.getLogger(__name__)


class JobsBusy(TooManyRequests):
    """As many jobs as the process runs at once are running already (429, Retry-After)."""

    def __init__(self, running: int) -> None:
        super().__init__(
            f"{running} jobs are running, as many as this server runs at once; retry later",
            retry_after=RETRY_AFTER_SECONDS,
        )


@dataclass(frozen=True)
class Outcome:
    """What a job's work answers: its result, and the file it wrote, if any."""

    result: Mapping[str, object]
    file: Path | None = None
    file_name: str | None = None
    media_type: str = "application/octet-stream"


class Workspace:
    """What a job's work is given: a folder of its own, and a way to report progress."""

    def __init__(self, job: Job, folder: Path) -> None:
        self._job = job
        self.folder = folder

    def progress(self, done: int, total: int) -> None:
        self._job.report(done, total)


Work = Callable[[Workspace], Outcome]


@dataclass(frozen=True)
class JobState:
    """A job as it stands; ``total`` is None until the work knows it."""

    id: str
    kind: str
    owner: str
    unit: str
    state: str
    """``running``, ``done`` or ``failed``."""
    done: int
    total: int | None
    started_at: datetime
    finished_at: datetime | None
    result: Mapping[str, object] | None
    problem: Mapping[str, object] | None
    """Why it failed, as problem details without ``type``."""
    has_file: bool


@dataclass
class Job:
    id: str
    kind: str
    owner: str
    unit: str
    folder: Path
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    state: str = "running"
    done: int = 0
    total: int | None = None
    finished_at: datetime | None = None
    finished_clock: float | None = None
    outcome: Outcome | None = None
    problem: Mapping[str, object] | None = None
    ended: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def report(self, done: int, total: int) -> None:
        with self.lock:
            self.done, self.total = done, total

    def finish(
        self, outcome: Outcome | None, problem: Mapping[str, object] | None, clock: float
    ) -> None:
        with self.lock:
            self.state = "done" if problem is None else "failed"
            self.outcome, self.problem = outcome, problem
            self.finished_at = datetime.now(UTC)
            self.finished_clock = clock
        self.ended.set()

    def snapshot(self) -> JobState:
        with self.lock:
            outcome = self.outcome
            return JobState(
                id=self.id,
                kind=self.kind,
                owner=self.owner,
                unit=self.unit,
                state=self.state,
                done=self.done,
                total=self.total,
                started_at=self.started_at,
                finished_at=self.finished_at,
                result=None if outcome is None else outcome.result,
                problem=self.problem,
                has_file=outcome is not None and outcome.file is not None,
            )


class JobRegistry:
    """The jobs of one process. A finished job is kept ``keep_seconds`` (and at most
    ``max_kept`` jobs are kept, the oldest finished going first), then forgotten with
    its files."""

    def __init__(
        self,
        max_running: int = MAX_RUNNING,
        keep_seconds: float = KEEP_SECONDS,
        max_kept: int = MAX_KEPT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock
        self.max_running = max_running
        self.keep_seconds = keep_seconds
        self.max_kept = max_kept
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._root: Path | None = None

    def start(self, kind: str, owner: str, work: Work, *, unit: str = "item") -> JobState:
        """Runs ``work`` in a thread of its own; JobsBusy when ``max_running`` jobs run."""
        with self._lock:
            self._forget_old()
            running = sum(1 for job in self._jobs.values() if job.state == "running")
            if running >= self.max_running:
                raise JobsBusy(running)
            job_id = secrets.token_hex(16)
            folder = self._folder() / job_id
            folder.mkdir()
            job = Job(job_id, kind, owner, unit, folder)
            self._jobs[job_id] = job
        thread = threading.Thread(
            target=self._run, args=(job, work), name=f"job-{kind}-{job_id[:8]}", daemon=True
        )
        thread.start()
        return job.snapshot()

    def get(self, job_id: str, owner: str | None = None, wait: float = 0.0) -> JobState:
        """The job, once finished or after ``wait`` seconds; NotFound unless it exists and
        ``owner`` (None: anyone) started it."""
        job = self._find(job_id, owner)
        if wait > 0:
            job.ended.wait(wait)
        return job.snapshot()

    def file(self, job_id: str, owner: str | None = None) -> Outcome:
        """The outcome of a finished job that wrote a file; Conflict while it runs,
        NotFound when it wrote none."""
        job = self._find(job_id, owner)
        state = job.snapshot()
        if state.state == "running":
            raise Conflict(f"job {job_id} is still running; its file comes once it is done")
        outcome = job.outcome
        if outcome is None or outcome.file is None:
            raise NotFound(f"job {job_id} has no file (it is {state.state})")
        return outcome

    def latest(self, kind: str) -> JobState | None:
        """The job of ``kind`` finished last, of any owner, while it is kept."""
        with self._lock:
            self._forget_old()
            ended = [job.snapshot() for job in self._jobs.values() if job.kind == kind]
        finished = [job for job in ended if job.finished_at is not None]
        return max(finished, key=lambda job: job.finished_at or job.started_at, default=None)

    def join(self, timeout: float) -> bool:
        """Waits up to ``timeout`` seconds for the running jobs to end; whether they all did."""
        deadline = time.monotonic() + timeout
        with self._lock:
            running = [job for job in self._jobs.values() if job.state == "running"]
        return all(job.ended.wait(max(deadline - time.monotonic(), 0.0)) for job in running)

    def _find(self, job_id: str, owner: str | None) -> Job:
        with self._lock:
            self._forget_old()
            job = self._jobs.get(job_id)
        if job is None or (owner is not None and job.owner != owner):
            raise NotFound(f"job {job_id} not found")
        return job

    def _run(self, job: Job, work: Work) -> None:
        try:
            outcome = work(Workspace(job, job.folder))
        except Exception as error:
            job.finish(None, failure(error), self.clock())
            return
        job.finish(outcome, None, self.clock())

    def _forget_old(self) -> None:
        """Called with the lock held."""
        now = self.clock()
        finished = sorted(
            (job for job in self._jobs.values() if job.finished_clock is not None),
            key=lambda job: job.finished_clock or 0.0,
        )
        excess = max(len(self._jobs) - self.max_kept, 0)
        for index, job in enumerate(finished):
            if index < excess or now - (job.finished_clock or now) >= self.keep_seconds:
                del self._jobs[job.id]
                shutil.rmtree(job.folder, ignore_errors=True)

    def _folder(self) -> Path:
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="ledger-jobs-"))
            weakref.finalize(self, shutil.rmtree, self._root, ignore_errors=True)
        return self._root


def failure(error: Exception) -> dict[str, object]:
    """Why a job failed, as problem details: the ledger's refusals as the API tells them,
    anything else as a defect (and logged)."""
    if not isinstance(error, LedgerError):
        log.error("job failed", exc_info=error)
        return {"status": 500, "title": "Internal Server Error", "detail": "the job failed"}
    status, title = next(
        (status, title) for kind, status, _, title in LEDGER_PROBLEMS if isinstance(error, kind)
    )
    return {"status": status, "title": title, "detail": error.message}
