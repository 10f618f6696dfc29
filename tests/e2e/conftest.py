"""Browser tests of the scanning PWA: Debian's Chromium driven by Playwright for Python.

Each session starts Tendu under gunicorn on a free loopback port with a fresh SQLite database (migrations
+ ``seed.py``). Without ``/usr/bin/chromium`` or the ``playwright`` package every test here is skipped
with the reason and the commands that enable them; Playwright never downloads a browser of its own.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.helpers import ARTIFACTS, CHROMIUM, launch, new_context, screenshot, watch_errors

ROOT = Path(__file__).resolve().parents[2]
PLAYWRIGHT_PIN = "playwright==1.65.2"
HERE = Path(__file__).resolve().parent


def _missing() -> str | None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (as root: apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append(f"the playwright package (.venv/bin/pip install {PLAYWRIGHT_PIN}; never `playwright install`)")
    if not (ROOT / "pwa" / "vendor" / "zxing-wasm").exists():
        missing.append("pwa/vendor/zxing-wasm (run `npm ci` at the repository root)")
    return "browser tests skipped, missing: " + "; ".join(missing) if missing else None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    marker = pytest.mark.skip(reason=reason)
    for item in items:  # the static checks of pwa/ need no browser and still run
        if Path(str(item.fspath)).is_relative_to(HERE) and {"server", "playwright_driver"} & set(item.fixturenames):
            item.add_marker(marker)


# --- the server -------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, base_url: str, database: Path, seed: dict):
        self.base_url = base_url
        self.database = database
        self.seed = seed
        self._token = None

    def query(self, sql: str, *params) -> list[tuple]:
        """Read the server's database directly: what was really recorded, not what an API says."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as connection:
            return connection.execute(sql, params).fetchall()

    def request(self, method: str, path: str, body=None) -> tuple[int, dict | None]:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token()}"}
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def token(self) -> str:
        if self._token is None:
            body = json.dumps({"username": self.seed["username"], "password": self.seed["password"],
                               "device": "e2e-harness"}).encode()
            request = urllib.request.Request(self.base_url + "/api/v1/auth/tokens", data=body,
                                             headers={"Content-Type": "application/json"}, method="POST")
            with urllib.request.urlopen(request, timeout=10) as response:
                self._token = json.loads(response.read())["token"]
        return self._token


@contextmanager
def running_tendu(tmp_path_factory, name: str, seed_script: str):
    """Tendu under gunicorn (2 workers) on a fresh SQLite database filled by ``seed_script``."""
    instance = tmp_path_factory.mktemp(name)
    database = instance / f"{name}.db"
    port = _free_port()
    env = {**os.environ, "TENDU_INSTANCE_PATH": str(instance), "TENDU_DATABASE_URL": f"sqlite:///{database}",
           "TENDU_BIND": f"127.0.0.1:{port}", "TENDU_WORKERS": "2", "FLASK_APP": "wsgi"}
    env.pop("TENDU_TEST_DATABASE_URL", None)
    bin_dir = Path(sys.executable).parent
    _run([str(bin_dir / "flask"), "--app", "wsgi", "db", "upgrade"], env)
    seed = json.loads(_run([sys.executable, str(HERE / seed_script)], env).strip().splitlines()[-1])
    log = open(instance / "gunicorn.log", "w")
    process = subprocess.Popen([str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base_url + "/healthz", process, instance / "gunicorn.log")
        yield Server(base_url, database, seed)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(instance / "gunicorn.log", ARTIFACTS / f"gunicorn-{name}.log")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    if _missing():
        pytest.skip(_missing())
    with running_tendu(tmp_path_factory, "e2e", "seed.py") as running:
        yield running


def _run(command: list[str], env: dict) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"Tendu did not answer at {url} within {timeout} s")


@pytest.fixture(scope="session")
def scan_api(server):
    """The scan endpoints (issue 4). Tests that need the real server side skip, saying so, until they exist."""
    status, _ = server.request("POST", "/api/v1/scans/batch", {"scans": []})
    if status in (404, 405):
        pytest.skip("POST /api/v1/scans/batch is not in this checkout yet (scan API of issue 4)")
    return server


# --- the browser ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = launch(playwright_driver)
    yield browser
    browser.close()


@pytest.fixture
def context(browser, server):
    context = new_context(browser, server)
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    errors = watch_errors(page)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        screenshot(page, f"{request.node.name}-failure")
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
