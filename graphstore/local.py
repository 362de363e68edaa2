"""Starts, inspects and stops the local embedded Neo4j (Bolt on 127.0.0.1).

The server is the Java launcher in ``graphstore/launcher`` (Neo4j 5.26 LTS Community
from Maven Central), run as a background process whose pid, port, password and log
live in ``<data_dir>/neo4j``. Its database files live there too, so data survives
stop and start.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from graphstore.errors import LocalNeo4jError
from graphstore.settings import StoreSettings

_JVM_OPTIONS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dfile.encoding=UTF-8",
)


@dataclass(frozen=True)
class LocalStatus:
    """State of the local server."""

    running: bool
    pid: int | None
    port: int | None
    bolt_answers: bool
    data_dir: Path

    def describe(self) -> str:
        """One line for people."""
        if not self.running:
            return f"local Neo4j: stopped (data in {self.data_dir})"
        state = "ready" if self.bolt_answers else "starting"
        return f"local Neo4j: {state}, pid {self.pid}, bolt://127.0.0.1:{self.port} (data in {self.data_dir})"


def _jar_dir(settings: StoreSettings) -> Path:
    return settings.launcher_dir / "target"


def jars_ready(settings: StoreSettings) -> bool:
    """True when the launcher jar and Neo4j's jars are built."""
    target = _jar_dir(settings)
    return (target / "neo4j-launcher-1.0.0.jar").exists() and any((target / "lib").glob("neo4j-*.jar"))


def build_jars(settings: StoreSettings) -> None:
    """Fetches Neo4j's jars from Maven Central and builds the launcher.

    Raises:
        LocalNeo4jError: Java or Maven is missing, or the build fails.
    """
    if shutil.which("java") is None:
        raise LocalNeo4jError("java is not on PATH: install a Java 17 runtime (apt-get install openjdk-17-jre)")
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalNeo4jError("mvn is not on PATH: install Maven (apt-get install maven) to fetch Neo4j's jars")
    proc = subprocess.run(  # noqa: S603 - fixed argument list
        [mvn, "-q", "-B", "package", "-DskipTests"],
        cwd=settings.launcher_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise LocalNeo4jError(f"building the Neo4j launcher failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0): look at its state.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status(settings: StoreSettings) -> LocalStatus:
    """Reports whether the local server runs and answers on Bolt."""
    d = settings.local_dir
    pid = _read_int(d / "neo4j.pid")
    port = _read_int(d / "port")
    running = _alive(pid)
    answers = running and port is not None and _port_open(port) and "ready" in _log_tail(d)
    return LocalStatus(running, pid if running else None, port if running else None, answers, d)


def _log_tail(d: Path) -> str:
    try:
        return (d / "neo4j.log").read_text(errors="replace")[-20000:]
    except OSError:
        return ""


def start(settings: StoreSettings, port: int | None = None, timeout: float = 180.0) -> LocalStatus:
    """Starts the local server in the background and returns once Bolt answers.

    Args:
        settings: the store settings (data folder, heap, page cache).
        port: the Bolt port; ``SIGNAUX_NEO4J_PORT`` (default 7687) when omitted.
        timeout: seconds to wait for Bolt.

    Raises:
        LocalNeo4jError: Java or Maven missing, port taken, or the server did not come up.
    """
    current = status(settings)
    if current.running:
        if port is not None and current.port != port:
            raise LocalNeo4jError(
                f"the local Neo4j already runs on port {current.port}; stop it before starting on {port}"
            )
        return _wait_ready(settings, current.pid, timeout)
    port = port or settings.local_port
    if shutil.which("java") is None:
        raise LocalNeo4jError("java is not on PATH: install a Java 17 runtime (apt-get install openjdk-17-jre)")
    if not jars_ready(settings):
        build_jars(settings)
    if not _port_free(port):
        raise LocalNeo4jError(f"port {port} on 127.0.0.1 is already taken: choose another with --port")
    d = settings.local_dir
    d.mkdir(parents=True, exist_ok=True)
    pw_file = d / "password"
    if not pw_file.exists():
        fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(24))
    (d / "port").write_text(str(port))
    target = _jar_dir(settings)
    classpath = f"{target / 'neo4j-launcher-1.0.0.jar'}{os.pathsep}{target / 'lib'}/*"
    cmd = [
        shutil.which("java") or "java",
        f"-Xmx{settings.local_heap}",
        f"-Xms{settings.local_heap}",
        *_JVM_OPTIONS,
        "-cp",
        classpath,
        "fr.signauxfaibles.neo4j.EmbeddedNeo4j",
        "--home", str(d / "home"),
        "--port", str(port),
        "--password-file", str(pw_file),
        "--pagecache-mb", str(settings.local_pagecache_mb),
    ]  # fmt: skip
    log = open(d / "neo4j.log", "w")  # noqa: SIM115 - handed to the child
    proc = subprocess.Popen(  # noqa: S603 - fixed argument list
        cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
    )
    log.close()
    (d / "neo4j.pid").write_text(str(proc.pid))
    return _wait_ready(settings, proc.pid, timeout)


def _wait_ready(settings: StoreSettings, pid: int | None, timeout: float) -> LocalStatus:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = status(settings)
        if st.bolt_answers:
            return st
        if not _alive(pid):
            raise LocalNeo4jError(
                f"the local Neo4j exited during start-up; log {settings.local_dir / 'neo4j.log'}:\n"
                + _log_tail(settings.local_dir)[-3000:]
            )
        time.sleep(0.2)
    raise LocalNeo4jError(f"the local Neo4j did not answer on Bolt within {timeout:.0f} s")


def stop(settings: StoreSettings, timeout: float = 60.0) -> bool:
    """Stops the local server cleanly (SIGTERM runs Neo4j's shutdown).

    Returns:
        True when a running server was stopped, False when none was running.
    """
    st = status(settings)
    if not st.running or st.pid is None:
        return False
    os.kill(st.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(st.pid):
            (settings.local_dir / "neo4j.pid").unlink(missing_ok=True)
            return True
        time.sleep(0.2)
    os.kill(st.pid, signal.SIGKILL)
    (settings.local_dir / "neo4j.pid").unlink(missing_ok=True)
    raise LocalNeo4jError(f"the local Neo4j did not stop within {timeout:.0f} s and was killed")
