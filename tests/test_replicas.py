"""Replicas behind nginx (`make serve REPLICAS=N`): the rendered config, and 25 sessions across two replicas.

The load test is bounded and loopback-only: two replicas and nginx on free 127.0.0.1 ports, the
harness's protocol-level sessions (benchmarks/harness/concurrency_probe.py, --mode ws), every step
with a timeout. It checks correctness (no error, each session sees only its own country, both
replicas used), never a time: the medians are benchmarks.compare's business.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import serve  # noqa: E402  (scripts/ is not a package)

TEMPLATE = (REPO / "deploy" / "nginx.conf.template").read_text()
SESSIONS = 25


def test_render_fills_every_placeholder(tmp_path):
    conf = serve.render(TEMPLATE, "127.0.0.1:8080", ["127.0.0.1:8511", "10.0.0.2:8511"], tmp_path)
    assert "@" not in re.sub(r"#.*", "", conf)  # no placeholder left outside comments
    assert "listen 127.0.0.1:8080;" in conf
    assert re.findall(r"server (\S+) max_fails", conf) == ["127.0.0.1:8511", "10.0.0.2:8511"]
    assert "hash $route consistent;" in conf  # sticky: one browser's requests go to one replica
    assert "proxy_set_header Upgrade $http_upgrade;" in conf  # websockets pass through
    assert f"pid {tmp_path}/nginx.pid;" in conf


def test_render_needs_an_upstream(tmp_path):
    with pytest.raises(ValueError, match="at least one upstream"):
        serve.render(TEMPLATE, "127.0.0.1:8080", [], tmp_path)


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _bundled_store(out: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "etl", "--input", str(REPO / "data" / "raw"), "--output", str(out),
                           "--curations", str(out.parent / "none.csv"), "--quiet"], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow
def test_25_sessions_across_two_replicas(tmp_path):
    try:
        nginx = serve.ensure_nginx()
    except RuntimeError as exc:
        pytest.skip(f"nginx is not installed and cannot be installed here: {exc}")
    assert nginx
    store = _bundled_store(tmp_path / "store")
    front, first = _free_ports(1)[0], _consecutive_free_ports()
    second = first + 1
    rundir = tmp_path / "run"
    env = {**os.environ, "CADI_DATA_DIR": str(store), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, str(REPO / "scripts" / "serve.py"), "--replicas", "2", "--port",
                             str(front), "--first-port", str(first), "--rundir", str(rundir)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        line = _wait_line(proc, "serving", timeout=240)
        assert f"127.0.0.1:{first}, 127.0.0.1:{second}" in line
        countries = tmp_path / "countries.txt"
        countries.write_text("Kazakhstan (KAZ)\nUzbekistan (UZB)\nKyrgyzstan (KGZ)\nTajikistan (TJK)\n"
                             "Georgia (GEO)\nAzerbaijan (AZE)\nPakistan (PAK)\nChina (CHN)\n")
        result = tmp_path / "probe.json"
        probe = subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / "harness" / "concurrency_probe.py"), "--mode", "ws",
             "--levels", str(SESSIONS), "--url", f"http://127.0.0.1:{front}/", "--multiselect-label",
             "Countries and regions", "--level-timeout", "400", "--out", str(result)],
            cwd=REPO, env={**env, "PROBE_COUNTRIES_FILE": str(countries), "PROBE_CHECK": "name"},
            capture_output=True, text=True, timeout=600)
        level = json.loads(result.read_text())["levels"][str(SESSIONS)]
        assert level["failures"] == 0, (level["problems"], probe.stdout[-2000:])
        assert level["filter_ms"]["n"] == SESSIONS and level["switch_ms"]["n"] == SESSIONS
        # Both replicas served sessions (each session's websocket is one /_stcore/stream request).
        log = (rundir / "access.log").read_text()
        streams = re.findall(r'"GET /_stcore/stream[^"]*" 101 \d+ upstream=127\.0\.0\.1:(\d+)', log)
        assert len(streams) >= SESSIONS
        assert {int(p) for p in streams} == {first, second}, f"websockets per replica: {streams}"
        for replica in (first, second):
            assert "Traceback" not in (rundir / f"replica-{replica}.log").read_text()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # serve.py stops nginx and both replicas by their ids
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    # Nothing left listening: serve.py stopped what it started.
    for port in (front, first, second):
        assert not _port_busy(port), f"port {port} still answers after serve.py stopped"


def _consecutive_free_ports() -> int:
    """A port p such that p and p + 1 are free on 127.0.0.1 (serve.py numbers its replicas from p)."""
    for _ in range(50):
        port = _free_ports(1)[0]
        if port < 65535 and not _port_busy(port + 1):
            return port
    raise AssertionError("no two consecutive free ports on 127.0.0.1")


def _port_busy(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_line(proc: subprocess.Popen, needle: str, timeout: float) -> str:
    """The first output line of `proc` holding `needle`; fails with its output when it exits or times out."""
    deadline = time.monotonic() + timeout
    seen = []
    os.set_blocking(proc.stdout.fileno(), False)
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            seen.append(line)
            if needle in line:
                return line
            continue
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"serve.py did not print {needle!r}: {''.join(seen)[-2000:]}")
