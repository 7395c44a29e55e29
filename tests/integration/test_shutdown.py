"""Stopping on the embedded default: SIGTERM and SIGINT stop the server, its views and the
PostgreSQL it started; whatever a process killed outright leaves, the next start recovers."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest

from ledger.store.postmaster import settle_pid_file

LEDGER = str(Path(sys.executable).with_name("ledger"))
ROOT = Path(__file__).resolve().parents[2]
BOUND = 60.0  # seconds: a bound for failing, not a speed to meet


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data folder outside pytest's base folder, which pytest makes private to its user
    (again at the start of every session): run as root, pgserver runs postgres as a user of
    its own, who must be able to reach the folder."""
    folder = Path(tempfile.mkdtemp(prefix="ledger-shutdown-"))
    yield folder / "var"
    stop_what_is_left(folder / "var")
    shutil.rmtree(folder, ignore_errors=True)


def stop_what_is_left(data_dir: Path) -> None:
    """A postgres a failed test left running is stopped before its folder goes."""
    try:
        left = psutil.Process(postmaster(data_dir))
        if left.name() == "postgres":
            left.terminate()
            left.wait(timeout=BOUND)
    except (OSError, ValueError, psutil.Error):
        pass


def environment(data_dir: Path) -> dict[str, str]:
    """No database named: the embedded server starts in ``data_dir``."""
    env = {key: value for key, value in os.environ.items() if key != "LEDGER_DATABASE_URL"}
    return {**env, "LEDGER_DATA_DIR": str(data_dir)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def eventually(condition: Callable[[], bool], timeout: float = BOUND) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class Server:
    """``ledger serve`` in a process (and process group) of its own, its output in a log."""

    def __init__(self, data_dir: Path, log: Path, *options: str) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [LEDGER, "serve", "--port", str(port), *options],
                cwd=ROOT,
                env=environment(data_dir),
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        self.log = log
        self.pgdata = str((data_dir / "postgres").resolve())

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/healthz", timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    def wait_until_healthy(self) -> None:
        assert eventually(lambda: self.healthy() or self.process.poll() is not None)
        assert self.process.poll() is None, self.log.read_text()

    def stop(self, signum: signal.Signals) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=BOUND)

    def making_the_database(self) -> bool:
        """Whether it is running initdb, as it does on the first start on a data folder."""
        try:
            children = psutil.Process(self.process.pid).children()
            return any(child.name() == "initdb" for child in children)
        except psutil.Error:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=BOUND)


@contextmanager
def serving(data_dir: Path, log: Path, *options: str, healthy: bool = True) -> Iterator[Server]:
    """A server, once it answers /healthz (at once when ``healthy`` is False); killed at the
    end unless the test ended it."""
    server = Server(data_dir, log, *options)
    try:
        if healthy:
            server.wait_until_healthy()
        yield server
    finally:
        if server.process.poll() is None:
            server.kill()


def postmaster(data_dir: Path) -> int:
    """The pid of the embedded server's postmaster, from its ``postmaster.pid``."""
    return int((data_dir / "postgres" / "postmaster.pid").read_text().split("\n", 1)[0])


def ended(pid: int) -> bool:
    """Whether the process is gone (a zombie waiting to be reaped by init is gone too)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def nothing_runs_on(pgdata: str) -> bool:
    """Whether no process (initdb, pg_ctl, postgres) names the folder on its command line."""
    for process in psutil.process_iter():
        try:
            if pgdata in process.cmdline() and process.status() != psutil.STATUS_ZOMBIE:
                return False
        except psutil.Error:
            continue
    return True


def ledger_command(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LEDGER, *args],
        cwd=ROOT,
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=BOUND,
        check=False,
    )


def grant_token(data_dir: Path) -> str:
    granted = ledger_command(data_dir, "tokens", "create", "--role", "admin", "--name", "ops")
    assert granted.returncode == 0, granted.stderr
    return granted.stdout.strip().splitlines()[-1]


def head_position(server: Server, token: str) -> int:
    answer = httpx.get(
        f"{server.url}/api/v1/ledger/head",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["position"])


def events_stored(data_dir: Path) -> int:
    """How many events the embedded server holds, asked on its own socket."""
    try:
        socket_dir = (data_dir / "postgres" / "postmaster.pid").read_text().splitlines()[4]
        conninfo = f"host={socket_dir} dbname=ledger user=postgres connect_timeout=5"
        with psycopg.connect(conninfo) as conn:
            row = conn.execute("SELECT count(*) FROM ledger_events").fetchone()
    except (OSError, IndexError, psycopg.Error):  # not started yet, or no table yet
        return 0
    return int(row[0]) if row else 0


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_server_and_the_embedded_postgres_it_started(
    data_dir: Path, tmp_path: Path, signum: signal.Signals
) -> None:
    with serving(data_dir, tmp_path / "serve.log") as server:
        pid = postmaster(data_dir)
        assert not ended(pid)

        assert server.stop(signum) == 0, server.log.read_text()

    assert eventually(lambda: ended(pid)), f"postmaster {pid} still runs"
    assert not (data_dir / "postgres" / "postmaster.pid").exists()


@pytest.mark.slow
def test_a_server_killed_outright_is_recovered_by_the_next_start_with_its_data(
    data_dir: Path, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    with serving(data_dir, log) as first:
        token = grant_token(data_dir)
        assert first.healthy(), "a command that used the server's postgres stopped it"
        written = head_position(first, token)
        first.kill()
    left_running = postmaster(data_dir)
    assert not ended(left_running)

    with serving(data_dir, log) as second:
        assert head_position(second, token) == written
        assert second.stop(signal.SIGTERM) == 0, log.read_text()

    assert eventually(lambda: ended(left_running)), f"postmaster {left_running} still runs"


@pytest.mark.slow
def test_a_server_killed_with_its_postgres_is_recovered_by_the_next_start(
    data_dir: Path, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    with serving(data_dir, log) as first:
        token = grant_token(data_dir)
        written = head_position(first, token)
        killed = postmaster(data_dir)
        os.kill(killed, signal.SIGKILL)
        first.kill()
    assert (data_dir / "postgres" / "postmaster.pid").exists()

    with serving(data_dir, log) as second:
        assert postmaster(data_dir) != killed
        assert head_position(second, token) == written
        assert second.stop(signal.SIGTERM) == 0, log.read_text()


@pytest.mark.slow
def test_a_signal_while_the_demo_loads_stops_the_server_and_its_postgres(
    data_dir: Path, tmp_path: Path
) -> None:
    with serving(data_dir, tmp_path / "serve.log", "--demo", healthy=False) as server:
        assert eventually(lambda: events_stored(data_dir) > 0), server.log.read_text()
        pid = postmaster(data_dir)

        assert server.stop(signal.SIGTERM) == 0, server.log.read_text()

    assert "demo organisation part-loaded" in server.log.read_text()
    assert eventually(lambda: ended(pid)), f"postmaster {pid} still runs"


@pytest.mark.slow
def test_a_signal_stops_the_projections_worker_and_its_embedded_postgres(
    data_dir: Path, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    with log.open("ab") as output:
        worker = subprocess.Popen(
            [LEDGER, "projections", "run"],
            cwd=ROOT,
            env=environment(data_dir),
            stdout=output,
            stderr=output,
        )
    try:
        assert eventually(lambda: "keeping" in log.read_text()), log.read_text()
        pid = postmaster(data_dir)

        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=BOUND) == 0, log.read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
    assert eventually(lambda: ended(pid)), f"postmaster {pid} still runs"


def test_a_postmaster_pid_naming_a_process_that_is_no_postgres_is_removed(
    tmp_path: Path,
) -> None:
    pid_file = tmp_path / "postmaster.pid"
    pid_file.write_text(f"{os.getpid()}\n{tmp_path}\n")

    settle_pid_file(tmp_path)

    assert not pid_file.exists()


def test_a_postmaster_pid_naming_a_process_that_is_gone_is_left_to_postgres(
    tmp_path: Path,
) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    pid_file = tmp_path / "postmaster.pid"
    pid_file.write_text(f"{gone.stdout.strip()}\n{tmp_path}\n")

    settle_pid_file(tmp_path)

    assert pid_file.exists()


@pytest.mark.slow
def test_a_signal_while_the_embedded_postgres_starts_stops_the_server_once_it_has_started(
    data_dir: Path, tmp_path: Path
) -> None:
    with serving(data_dir, tmp_path / "serve.log", healthy=False) as server:
        assert eventually(server.making_the_database), server.log.read_text()

        assert server.stop(signal.SIGTERM) == 0, server.log.read_text()

    assert "stopping on SIGTERM" in server.log.read_text()
    assert eventually(lambda: nothing_runs_on(server.pgdata))


@pytest.mark.slow
def test_ctrl_c_reaching_initdb_too_stops_the_server_without_a_traceback(
    data_dir: Path, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    with serving(data_dir, log, healthy=False) as server:
        assert eventually(server.making_the_database), log.read_text()

        os.killpg(server.process.pid, signal.SIGINT)
        assert server.process.wait(timeout=BOUND) == 0, log.read_text()

    assert "Traceback" not in log.read_text()
    assert eventually(lambda: nothing_runs_on(server.pgdata))
    with serving(data_dir, log) as again:
        assert again.stop(signal.SIGTERM) == 0, log.read_text()


def signalled(program: str) -> subprocess.CompletedProcess[str]:
    """``program`` run under ``StopSignals`` in a Python process of its own."""
    setup = "import os, signal, time\nfrom web.serving.stopping import StopSignals\n"
    return subprocess.run(
        [sys.executable, "-c", setup + program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BOUND,
        check=False,
    )


def test_a_signal_outside_a_breakable_stretch_is_held_until_the_next_one_begins() -> None:
    ran = signalled(
        "with StopSignals() as signals:\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    print('held', flush=True)\n"
        "    with signals.breakable():\n"
        "        print('not stopped', flush=True)\n"
    )
    assert (ran.returncode, ran.stdout) == (0, "held\n"), ran.stderr


def test_a_second_signal_while_stopping_is_ignored() -> None:
    ran = signalled(
        "with StopSignals() as signals:\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    print(signals.received.name, flush=True)\n"
    )
    assert (ran.returncode, ran.stdout) == (0, "SIGTERM\n"), ran.stderr
