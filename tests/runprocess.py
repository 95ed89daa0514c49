"""`infoint run` as real processes for the tests, with OAuth distribution: the environment it is
started with, started (one or several at once) until /healthz answers, and stopped with SIGTERM
(exit 0, no traceback in its log)."""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import clean_env
from oauthworld import CLIENT_ID, CLIENT_SECRET
from slackwire import SIGNING_SECRET
from test_cli import CLI, free_port

from bot.fakeslack import FakeSlack
from storage.db import Database


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def run_env(db: Database, key: str, slack: FakeSlack, **extra: str) -> dict[str, str]:
    """What `infoint run` is started with: OAuth distribution over ``db``, the fake Slack as Slack's
    Web API, a port of its own, a sweep every 5 seconds."""
    return clean_env(
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        INFOINT_ENCRYPTION_KEY=key,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=db.url,
        PORT=str(free_port()),
        INFOINT_SWEEP_SECONDS="5",
        **extra,
    )


class RunProcess:
    """One `infoint run`, its output written to a log file beside ``tmp_path``."""

    def __init__(self, tmp_path: Path, env: dict[str, str], name: str) -> None:
        self.port = env["PORT"]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path.parent / f"{tmp_path.name}-{name}.log"
        self._log = self.log_path.open("w+", encoding="utf-8", errors="replace")
        self.process = subprocess.Popen(
            [*CLI, "run"], cwd=tmp_path, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        """What it has logged so far."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_healthy(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"infoint run exited early with {self.process.returncode}:\n{self.output()}")
            try:
                if http_get(f"{self.base_url}/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"infoint run did not answer /healthz within {timeout} s:\n{self.output()}")

    def terminate(self) -> int:
        """SIGTERM, and its exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=15)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()


@contextmanager
def infoint_runs(tmp_path: Path, *envs: dict[str, str]) -> Iterator[list[RunProcess]]:
    """One `infoint run` per environment, all started before any is waited for, until each answers
    /healthz; after the block each is stopped with SIGTERM and must exit 0 with no traceback."""
    processes: list[RunProcess] = []
    try:
        for n, env in enumerate(envs):
            processes.append(RunProcess(tmp_path, env, f"run-{n}"))
        for process in processes:
            process.wait_healthy()
        yield processes
        codes = [process.terminate() for process in processes]
        assert codes == [0] * len(processes), [
            (code, p.output()) for code, p in zip(codes, processes, strict=True)
        ]
    finally:
        for process in processes:
            process.close()
    for process in processes:
        assert "Traceback" not in process.output(), process.output()


@contextmanager
def infoint_run(tmp_path: Path, env: dict[str, str]) -> Iterator[Callable[[], str]]:
    """One `infoint run` (see `infoint_runs`); yields what it has logged so far."""
    with infoint_runs(tmp_path, env) as (process,):
        yield process.output
