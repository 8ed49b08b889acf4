"""Starts the real parcoursd (and, when asked, a private MariaDB) for the
end-to-end tests. Standard library only; loopback only; every process is
stopped by its own PID."""

import http.client
import json
import os
import re
import signal
import subprocess
import tempfile
import time

BIN = os.environ.get("PARCOURS_BIN", "")
MARIADB = os.environ.get("PARCOURS_MARIADB_SCRIPT", "")
LISTENING = re.compile(r"^parcoursd listening on http://127\.0\.0\.1:(\d+)$")


class Daemon:
    """parcoursd on a free loopback port; SQLite in a fresh folder unless a
    database URL is given."""

    def __init__(self, *args, database=None, env=None):
        self.dir = tempfile.mkdtemp(prefix="parcours-e2e-")
        self.database = database or f"sqlite:{self.dir}/parcours.db"
        self.args = list(args)
        self.env = dict(os.environ, **(env or {}))
        self.log_path = os.path.join(self.dir, "daemon.log")
        self.process = None
        self.port = None

    def start(self, timeout=60):
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [BIN, "--listen", "127.0.0.1:0", "--database", self.database, *self.args],
            stdout=subprocess.PIPE, stderr=self.log, env=self.env, cwd=self.dir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline().decode().strip()
            if not line and self.process.poll() is not None:
                raise AssertionError(f"parcoursd exited with {self.process.returncode}: {self.log_text()}")
            match = LISTENING.match(line)
            if match:
                self.port = int(match.group(1))
                return self
        self.stop(signal.SIGKILL)
        raise AssertionError(f"parcoursd did not start: {self.log_text()}")

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process is None:
            return None
        try:
            if self.process.poll() is None:
                self.process.send_signal(sig)
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
                    raise AssertionError("parcoursd did not stop within the grace period")
            return self.process.returncode
        finally:
            self.process.stdout.close()
            self.log.close()

    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        """One request on a new connection → (status, headers, body bytes)."""
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class MariaDB:
    """A private MariaDB server in its own folder (scripts/mariadb)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="parcours-mariadb-")
        self.url = None

    def start(self):
        out = subprocess.run([MARIADB, "start", "--dir", self.dir], check=True, capture_output=True, timeout=120)
        self.url = out.stdout.decode().strip().splitlines()[-1]
        return self

    def stop(self):
        subprocess.run([MARIADB, "stop", "--dir", self.dir], check=True, capture_output=True, timeout=120)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def assert_problem(test, status, headers, body, expected):
    test.assertEqual(status, expected, body)
    test.assertTrue(headers.get("content-type", "").startswith("application/problem+json"), headers)
    problem = json.loads(body)
    test.assertIsInstance(problem["type"], str)
    test.assertIsInstance(problem["title"], str)
    test.assertEqual(problem["status"], expected)
    test.assertIsInstance(problem["detail"], str)
    test.assertIsInstance(problem["errors"], list)
    for error in problem["errors"]:
        test.assertIsInstance(error["field"], str)
        test.assertIsInstance(error["message"], str)
    return problem


def poll(predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
