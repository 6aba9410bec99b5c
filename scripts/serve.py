"""N replicas of the dashboard behind nginx with sticky sessions: `make serve REPLICAS=N`.

    python scripts/serve.py [--replicas 2] [--port 8501] [--first-port 8511] [--listen 127.0.0.1:8501]
                            [--upstreams host:port,... --no-replicas]

Starts N `streamlit run dashboard.py` processes on 127.0.0.1 (ports first-port, first-port+1, ...),
waits until each answers /_stcore/health, renders deploy/nginx.conf.template into a private run
folder and runs Debian's nginx in the foreground on it (installing the package with apt-get when it
is missing). Ctrl-C (or SIGTERM) stops nginx and every replica, each by its own process id.

Several machines: run `make serve` (or plain `streamlit run`) on each, then on the front machine
`python scripts/serve.py --no-replicas --listen 0.0.0.0:80 --upstreams m1:8511,m1:8512,m2:8511`:
the same template, with every machine's replicas as upstreams.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "deploy" / "nginx.conf.template"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
HEALTH_TIMEOUT_S = 180


def render(template: str, listen: str, upstreams: list[str], rundir: Path) -> str:
    """The nginx configuration: `template` with its listen address, upstream servers and run folder."""
    if not upstreams:
        raise ValueError("at least one upstream (host:port) is needed")
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    return template.replace("@LISTEN@", listen).replace("@UPSTREAMS@", servers).replace("@RUNDIR@", str(rundir))


def find_nginx() -> str | None:
    """The nginx binary, or None."""
    found = shutil.which("nginx")
    return found or next((p for p in NGINX_CANDIDATES if os.access(p, os.X_OK)), None)


def ensure_nginx() -> str:
    """The nginx binary, installed from Debian's package when missing; raises RuntimeError when it cannot be."""
    found = find_nginx()
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    print("serve: installing Debian's nginx (apt-get install -y nginx)", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "nginx"]):
        done = subprocess.run([*sudo, *cmd], env=env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"cannot install nginx ({' '.join(cmd)}: {done.stderr.strip()[-300:]})")
    found = find_nginx()
    if not found:
        raise RuntimeError("nginx was installed but is not on PATH")
    return found


def start_replica(port: int, log: Path) -> subprocess.Popen:
    """`streamlit run dashboard.py` on 127.0.0.1:port, in its own process group."""
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(url: str, proc: subprocess.Popen | None, timeout: float = HEALTH_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url} exited with code {proc.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer /_stcore/health within {timeout:.0f} s")


def stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM to each process's group, then SIGKILL to what is left after 5 s."""
    for proc in procs:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 5
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="streamlit processes on this machine (default 2)")
    parser.add_argument("--port", type=int, default=8501, help="nginx's port on 127.0.0.1 (default 8501)")
    parser.add_argument("--listen", help="nginx's listen address instead (e.g. 0.0.0.0:80 for other machines)")
    parser.add_argument("--first-port", type=int, default=8511, help="the first replica's port (default 8511)")
    parser.add_argument("--upstreams", help="host:port,... of replicas on other machines, added to the local ones")
    parser.add_argument("--no-replicas", action="store_true", help="start no local replica (front machine only)")
    parser.add_argument("--rundir", type=Path, help="folder for nginx's config, logs and pid (default: a temp dir)")
    args = parser.parse_args(argv)
    local = [] if args.no_replicas else [args.first_port + i for i in range(max(args.replicas, 0))]
    upstreams = [f"127.0.0.1:{p}" for p in local] + [u.strip() for u in (args.upstreams or "").split(",") if u.strip()]
    if not upstreams:
        parser.error("nothing to serve: give --replicas N or --upstreams")
    try:
        nginx = ensure_nginx()
    except RuntimeError as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 2
    rundir = args.rundir or Path(tempfile.mkdtemp(prefix="cadi-serve-"))
    (rundir / "tmp").mkdir(parents=True, exist_ok=True)
    os.chmod(rundir / "tmp", 0o1777)  # nginx's workers run as an unprivileged user when started as root
    listen = args.listen or f"127.0.0.1:{args.port}"
    conf = rundir / "nginx.conf"
    conf.write_text(render(TEMPLATE.read_text(), listen, upstreams, rundir))
    procs: list[subprocess.Popen] = []

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        for port in local:
            procs.append(start_replica(port, rundir / f"replica-{port}.log"))
        for port, proc in zip(local, procs, strict=True):
            wait_healthy(f"http://127.0.0.1:{port}", proc)
        check = subprocess.run([nginx, "-t", "-q", "-p", str(rundir), "-c", str(conf)], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx rejects {conf}: {check.stderr.strip()}")
        front = subprocess.Popen([nginx, "-p", str(rundir), "-c", str(conf), "-g", "daemon off;"],
                                 start_new_session=True)
        procs.append(front)
        host = listen if not listen.startswith("0.0.0.0") else listen.replace("0.0.0.0", "127.0.0.1")
        wait_healthy(f"http://{host}", front)
        print(f"serving http://{listen}/ through nginx: {len(upstreams)} replica(s) {', '.join(upstreams)}; "
              f"config and logs in {rundir}; Ctrl-C stops everything", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        dead = [p.args[0] if isinstance(p.args, list) else p.args for p in procs if p.poll() is not None]
        print(f"serve: {dead} exited; stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 1
    finally:
        stop(procs)


if __name__ == "__main__":
    sys.exit(main())
