"""Helpers for the end-to-end tests: the real parcoursd on a free loopback
port, a private MariaDB, and problem+json checks.

Standard library only. Traffic goes to 127.0.0.1 only. Every process started
here is stopped by its own PID (never by name).

Environment:
  PARCOURS_BIN             path of parcoursd (required)
  PARCOURS_MARIADB_SCRIPT  path of scripts/mariadb (required by MariaDB only)
  PARCOURS_E2E_KEEP=1      keep the temporary folders (logs, databases)
"""

import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse

LISTENING = re.compile(r"parcoursd listening on http://([^\s:/]+):(\d+)")
START_TIMEOUT = 60  # the daemon itself waits up to 30 s for its database


def binary():
    path = os.environ.get("PARCOURS_BIN", "")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError(f"PARCOURS_BIN must name the parcoursd executable (got {path!r})")
    return path


def mariadb_script():
    path = os.environ.get("PARCOURS_MARIADB_SCRIPT", "")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError(f"PARCOURS_MARIADB_SCRIPT must name scripts/mariadb (got {path!r})")
    return path


def keep_folders():
    return os.environ.get("PARCOURS_E2E_KEEP", "") not in ("", "0")


def poll(predicate, timeout, interval=0.1):
    """Calls predicate until it returns a true value or timeout seconds pass;
    returns the last value. Exceptions count as false."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except (OSError, http.client.HTTPException):
            value = None
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def temp_dir(testcase, prefix="parcours-e2e-"):
    """A fresh temporary folder removed when testcase ends."""
    folder = tempfile.mkdtemp(prefix=prefix)
    if not keep_folders():
        testcase.addCleanup(shutil.rmtree, folder, True)
    return folder


def run_parcoursd(*args, timeout=60, env=None, cwd=None):
    """Runs parcoursd to completion (e.g. `migrate`, `--help`) →
    CompletedProcess with text stdout/stderr. Killed by PID on timeout."""
    process = subprocess.Popen([binary(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, env=dict(os.environ, **(env or {})), cwd=cwd)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError(f"parcoursd {' '.join(args)} did not finish within {timeout} s")
    return subprocess.CompletedProcess(process.args, process.returncode,
                                       out.decode(errors="replace"), err.decode(errors="replace"))


class DaemonError(AssertionError):
    pass


class Daemon:
    """`parcoursd --listen 127.0.0.1:0 --database URL [args]`.

    The database defaults to SQLite in a fresh temporary folder. stdout is
    read until the `parcoursd listening on http://HOST:PORT` line (then
    drained in the background so the daemon never blocks on it); stderr goes
    to `daemon.log` in the folder.

        with Daemon("--set", "http.max_body_bytes=2048") as daemon:
            status, headers, body = daemon.request("GET", "/healthz")
    """

    def __init__(self, *args, database=None, env=None, listen="127.0.0.1:0", start_timeout=START_TIMEOUT):
        self.dir = tempfile.mkdtemp(prefix="parcours-e2e-")
        self.database = database or f"sqlite:{self.dir}/parcours.db"
        self.args = list(args)
        self.extra_env = dict(env or {})
        self.listen = listen
        self.start_timeout = start_timeout
        self.log_path = os.path.join(self.dir, "daemon.log")
        self.process = None
        self.host = None
        self.port = None
        self.stdout_lines = []
        self.returncode = None
        self._lines = queue.Queue()
        self._reader = None

    # -- process ---------------------------------------------------------

    def command(self):
        command = [binary()]
        if self.listen is not None:
            command += ["--listen", self.listen]
        if self.database is not None:
            command += ["--database", self.database]
        return command + self.args

    def start(self):
        if self.process is not None:
            raise RuntimeError("this Daemon was already started")
        env = dict(os.environ, **self.extra_env)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                            stderr=log, env=env, cwd=self.dir)
        self._reader = threading.Thread(target=self._read_stdout, name=f"parcoursd-{self.process.pid}-stdout",
                                        daemon=True)
        self._reader.start()
        deadline = time.monotonic() + self.start_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._fail_start(f"no 'parcoursd listening on' line within {self.start_timeout} s")
            try:
                line = self._lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if line is None:  # stdout closed: the process ended
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    pass
                self._fail_start(f"parcoursd closed its stdout (exit code {self.process.poll()})")
            match = LISTENING.search(line)
            if match:
                self.host, self.port = match.group(1), int(match.group(2))
                if self.host != "127.0.0.1":
                    self._fail_start(f"listening on {self.host}, not on loopback 127.0.0.1")
                return self

    def _read_stdout(self):
        stream = self.process.stdout
        try:
            for raw in iter(stream.readline, b""):
                line = raw.decode(errors="replace").rstrip("\r\n")
                self.stdout_lines.append(line)
                self._lines.put(line)
        except (OSError, ValueError):
            pass
        finally:
            self._lines.put(None)

    def _fail_start(self, why):
        try:
            self._terminate()
        finally:
            raise DaemonError(f"parcoursd did not come up: {why}\ncommand: {' '.join(self.command())}\n"
                              f"stdout:\n" + "\n".join(self.stdout_lines) + f"\nstderr:\n{self.log_text()}")

    def _terminate(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close_pipes()

    def _close_pipes(self):
        if self._reader is not None:
            self._reader.join(5)
        if self.process is not None and self.process.stdout is not None:
            try:
                self.process.stdout.close()
            except OSError:
                pass

    @property
    def pid(self):
        return self.process.pid

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def send_signal(self, sig):
        """Sends sig to this daemon's own PID."""
        if self.alive():
            os.kill(self.process.pid, sig)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Sends sig (to this PID only) and waits → exit code. After timeout
        seconds the process is killed and DaemonError raised."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            os.kill(self.process.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                self._close_pipes()
                raise DaemonError(f"parcoursd (pid {self.process.pid}) did not exit within {timeout} s "
                                  f"of {signal.Signals(sig).name}; killed")
        self._close_pipes()
        self.returncode = self.process.returncode
        return self.returncode

    def wait(self, timeout=30):
        """Waits for the process to end on its own → exit code (raises on timeout)."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise DaemonError(f"parcoursd (pid {self.process.pid}) still running after {timeout} s")

    def close(self):
        """Stops the process (if still running) and removes the folder."""
        try:
            if self.alive():
                self.stop()
        finally:
            self._close_pipes()
            if not keep_folders():
                self._saved_log = self.log_text()
                shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False

    # -- log -------------------------------------------------------------

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return getattr(self, "_saved_log", "")

    def wait_for_log(self, text, timeout=5):
        """Waits until text appears in the log (the logger is asynchronous)."""
        return poll(lambda: text in self.log_text(), timeout, 0.05)

    # -- HTTP ------------------------------------------------------------

    def connection(self, timeout=30):
        """A keep-alive connection (caller closes it)."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=30):
        """One request on a NEW connection → (status, lower-cased headers, body bytes)."""
        conn = self.connection(timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, lower_headers(response), response.read()
        finally:
            conn.close()

    def raw_socket(self, timeout=30):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)


def lower_headers(response):
    headers = {}
    for name, value in response.getheaders():
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def read_raw_response(sock, timeout=30):
    """Reads one HTTP/1.1 response from a raw socket → (status, lower-cased
    headers, body bytes), or None when the peer closed before a status line.
    The body is read by Content-Length (or to EOF without one)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            chunk = b""
        if not chunk:
            if not data:
                return None
            raise AssertionError(f"connection closed inside the response head: {data[:300]!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise AssertionError(f"not an HTTP status line: {lines[0]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        length = int(headers["content-length"])
        while len(body) < length:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                chunk = b""
            if not chunk:
                raise AssertionError(f"connection closed after {len(body)} of {length} body bytes")
            body += chunk
        body = body[:length]
    elif headers.get("transfer-encoding", "").lower() != "chunked":
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                break
            if not chunk:
                break
            body += chunk
    return int(parts[1]), headers, body


def send_all_tolerant(sock, data):
    """Sends data; a server that answers early and closes may reset the
    connection before everything is sent — that is allowed, so stop quietly.
    Returns True when everything was sent."""
    try:
        sock.sendall(data)
        return True
    except (BrokenPipeError, ConnectionResetError):
        return False


class MariaDB:
    """A private MariaDB server in its own temporary folder, through
    `scripts/mariadb start|stop --dir D`. start() and stop() may be called
    repeatedly; the folder keeps its data and its port across a stop/start."""

    def __init__(self):
        # Short path: the server's Unix socket lives in it (≤ 107 bytes).
        self.dir = tempfile.mkdtemp(prefix="pcm-", dir="/tmp")
        self.url = None
        self.previous_url = None
        self.running = False

    def _script(self, command, timeout=120):
        process = subprocess.Popen([mariadb_script(), command, "--dir", self.dir], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise AssertionError(f"scripts/mariadb {command} did not finish within {timeout} s")
        out, err = out.decode(errors="replace"), err.decode(errors="replace")
        if process.returncode != 0:
            raise AssertionError(f"scripts/mariadb {command} --dir {self.dir} exited {process.returncode}:\n{err}")
        return out

    def start(self):
        out = self._script("start")
        self.running = True
        urls = [line.strip() for line in out.splitlines() if line.strip().startswith("mysql://")]
        if not urls:
            raise AssertionError(f"scripts/mariadb start printed no URL: {out!r}")
        url = urls[-1]
        port_file = os.path.join(self.dir, "port")
        if os.path.exists(port_file):
            with open(port_file) as f:
                recorded = f.read().strip()
            if str(urllib.parse.urlsplit(url).port) != recorded:
                url = self._script("url").strip().splitlines()[-1]
        self.previous_url, self.url = self.url, url
        return self

    def stop(self):
        self._script("stop")
        self.running = False

    @property
    def port(self):
        return urllib.parse.urlsplit(self.url).port

    def close(self):
        try:
            self.stop()
        finally:
            if not keep_folders():
                shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False


def private_mariadb(test_class):
    """Starts a private MariaDB for a test class (stopped and removed when the
    class is done) → its URL. Kept as test_class.mariadb."""
    test_class.mariadb = MariaDB()
    test_class.addClassCleanup(test_class.mariadb.close)
    test_class.mariadb.start()
    return test_class.mariadb.url


def assert_problem(testcase, status, headers, body, expected_status):
    """Checks an application/problem+json answer with the members of docs/api.md;
    returns the decoded problem."""
    testcase.assertEqual(status, expected_status, body[:500])
    content_type = headers.get("content-type", "")
    testcase.assertEqual(content_type.split(";")[0].strip().lower(), "application/problem+json", headers)
    try:
        problem = json.loads(body)
    except ValueError as error:
        testcase.fail(f"problem body is not JSON ({error}): {body[:300]!r}")
    testcase.assertIsInstance(problem, dict, problem)
    for member in ("type", "title", "detail"):
        testcase.assertIn(member, problem)
        testcase.assertIsInstance(problem[member], str, member)
    testcase.assertIn("status", problem)
    testcase.assertIs(type(problem["status"]), int, problem)
    testcase.assertEqual(problem["status"], expected_status, problem)
    testcase.assertIn("errors", problem)
    testcase.assertIsInstance(problem["errors"], list, problem)
    for error in problem["errors"]:
        testcase.assertIsInstance(error, dict, error)
        testcase.assertIsInstance(error.get("field"), str, error)
        testcase.assertIsInstance(error.get("message"), str, error)
    return problem
