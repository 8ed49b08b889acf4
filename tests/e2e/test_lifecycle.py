"""Process life of parcoursd: graceful SIGTERM, `migrate`, configuration
layering and start-up errors, concurrent migrations on MariaDB."""

import os
import re
import signal
import socket
import subprocess
import threading
import time
import unittest

from harness import Daemon, MariaDB, binary, read_raw_response, run_parcoursd, temp_dir

MIGRATE_SUMMARY = re.compile(r"^(\d+) migration\(s\) applied; (\d+) in total$", re.M)
TRACEBACK_SIGNS = ("Traceback", "terminate called", "what():", "Aborted", "core dumped", "Segmentation fault",
                   "stack trace", "#0 ")


def migrate_summary(testcase, output):
    """`N migration(s) applied; M in total` → (N, M)."""
    matches = MIGRATE_SUMMARY.findall(output)
    testcase.assertEqual(len(matches), 1, f"one summary line expected in: {output!r}")
    return int(matches[0][0]), int(matches[0][1])


def applied_ids(output):
    return re.findall(r"^applied (\S+)$", output, re.M)


def fresh_total(testcase):
    """How many migrations the binary knows: what a fresh SQLite file gets."""
    folder = temp_dir(testcase, "parcours-e2e-count-")
    run = run_parcoursd("migrate", "--database", f"sqlite:{folder}/count.db")
    testcase.assertEqual(run.returncode, 0, run.stderr)
    applied, total = migrate_summary(testcase, run.stdout)
    testcase.assertEqual(applied, total, run.stdout)
    return total


class GracefulStop(unittest.TestCase):
    def start_with_request_in_flight(self):
        """A daemon that got SIGTERM while a POST /healthz has 50 of its 100
        body bytes sent → (daemon, socket of that request)."""
        daemon = Daemon()
        self.addCleanup(daemon.close)
        daemon.start()
        sock = daemon.raw_socket(30)
        self.addCleanup(sock.close)
        sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"a" * 50)
        time.sleep(0.3)  # the request is now in flight, half its body read
        os.kill(daemon.pid, signal.SIGTERM)
        time.sleep(0.3)
        self.assertIsNone(daemon.process.poll(), "parcoursd exited with a request in flight")
        return daemon, sock

    def test_sigterm_lets_the_request_in_flight_finish_then_exits_0(self):
        daemon, sock = self.start_with_request_in_flight()
        sock.sendall(b"b" * 50)
        response = read_raw_response(sock, 30)
        self.assertIsNotNone(response, "the connection closed without an answer to the request in flight")
        status, headers, body = response
        self.assertEqual(status, 405, body)
        self.assertEqual(headers.get("connection", "").lower(), "close", headers)
        self.assertEqual(int(headers["content-length"]), len(body))
        self.assertEqual(daemon.wait(30), 0, daemon.log_text())
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", daemon.port), timeout=5).close()

    def test_new_connections_are_refused_while_draining(self):
        daemon, sock = self.start_with_request_in_flight()
        try:
            late = socket.create_connection(("127.0.0.1", daemon.port), timeout=5)
        except ConnectionRefusedError:
            late = None
        if late is not None:
            self.addCleanup(late.close)
            late.settimeout(2)
            late.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                answer = late.recv(200)
            except OSError as error:
                answer = repr(error).encode()
            self.fail("a new connection made after SIGTERM was accepted instead of refused "
                      f"(a request on it got {answer[:80]!r} within 2 s)")
        sock.sendall(b"b" * 50)
        self.assertIsNotNone(read_raw_response(sock, 30))
        self.assertEqual(daemon.wait(30), 0, daemon.log_text())

    def test_sigterm_when_idle_exits_0(self):
        with Daemon() as daemon:
            self.assertEqual(daemon.request("GET", "/healthz")[0], 200)
            self.assertEqual(daemon.stop(signal.SIGTERM, 30), 0, daemon.log_text())

    def test_sigint_exits_0(self):
        with Daemon() as daemon:
            self.assertEqual(daemon.stop(signal.SIGINT, 30), 0, daemon.log_text())


class Migrate(unittest.TestCase):
    def test_migrate_applies_once_on_sqlite(self):
        folder = temp_dir(self, "parcours-e2e-migrate-")
        url = f"sqlite:{folder}/db"
        first = run_parcoursd("migrate", "--database", url)
        self.assertEqual(first.returncode, 0, first.stderr)
        applied, total = migrate_summary(self, first.stdout)
        self.assertGreaterEqual(applied, 1)
        self.assertEqual(applied, total, "a fresh database gets every migration")
        self.assertEqual(len(applied_ids(first.stdout)), applied, first.stdout)
        self.assertEqual(len(set(applied_ids(first.stdout))), applied, first.stdout)
        self.assertIn(f"{applied} migration(s) applied", first.stdout)
        second = run_parcoursd("migrate", "--database", url)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn("0 migration(s) applied", second.stdout)
        self.assertEqual(migrate_summary(self, second.stdout), (0, total))
        self.assertEqual(applied_ids(second.stdout), [])

    def test_a_fresh_database_gets_the_core_migration(self):
        # The foundation ships one migration (core/0001_counters); later
        # issues add theirs, so this only pins the first one's presence.
        folder = temp_dir(self, "parcours-e2e-migrate-")
        run = run_parcoursd("migrate", "--database", f"sqlite:{folder}/db")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("core/0001_counters", applied_ids(run.stdout))

    def test_daemon_start_migrates_and_migrate_then_has_nothing_to_do(self):
        with Daemon() as daemon:
            url = daemon.database
            self.assertEqual(daemon.request("GET", "/readyz")[0], 200)
            self.assertEqual(daemon.stop(), 0)
            run = run_parcoursd("migrate", "--database", url)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(migrate_summary(self, run.stdout), (0, fresh_total(self)))

    def test_concurrent_migrate_on_a_fresh_mariadb(self):
        mariadb = MariaDB()
        self.addCleanup(mariadb.close)
        mariadb.start()
        total = fresh_total(self)
        barrier = threading.Barrier(2)
        processes = [None, None]

        def launch(i):
            barrier.wait(10)
            processes[i] = subprocess.Popen([binary(), "migrate", "--database", mariadb.url],
                                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        threads = [threading.Thread(target=launch, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        for process in processes:
            if process is not None:
                self.addCleanup(lambda p=process: p.poll() is None and (p.kill(), p.wait()))
        self.assertTrue(all(processes), "both migrate processes started")
        outputs = []
        for process in processes:
            try:
                out, err = process.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                self.fail(f"parcoursd migrate (pid {process.pid}) still running after 120 s")
            outputs.append((process.returncode, out.decode(errors="replace"), err.decode(errors="replace")))
        for code, out, err in outputs:
            self.assertEqual(code, 0, f"stdout: {out}\nstderr: {err}")
            self.assertNotIn(":parcours@", out + err)
        again = run_parcoursd("migrate", "--database", mariadb.url)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("0 migration(s) applied", again.stdout)
        self.assertEqual(migrate_summary(self, again.stdout), (0, total))
        self.assertIn(f"{total} in total", again.stdout)
        # Each migration was applied by exactly one of the two processes.
        both = applied_ids(outputs[0][1]) + applied_ids(outputs[1][1])
        self.assertEqual(sorted(both), sorted(set(both)), f"a migration was applied twice: {outputs}")
        self.assertEqual(len(both), total, outputs)
        self.assertEqual(sum(migrate_summary(self, out)[0] for _, out, _ in outputs), total, outputs)


class Configuration(unittest.TestCase):
    def properties(self, text):
        folder = temp_dir(self, "parcours-e2e-config-")
        path = os.path.join(folder, "parcours.properties")
        with open(path, "w") as f:
            f.write(text)
        return path

    def assert_clean_failure(self, run, *expected_in_stderr):
        self.assertEqual(run.returncode, 1, f"stdout: {run.stdout}\nstderr: {run.stderr}")
        for text in expected_in_stderr:
            self.assertIn(text, run.stderr)
        for sign in TRACEBACK_SIGNS:
            self.assertNotIn(sign, run.stderr)
        self.assertLess(len(run.stderr.splitlines()), 25, run.stderr)
        self.assertNotIn("listening on", run.stdout)

    def test_environment_overrides_the_file(self):
        props = self.properties("listen = 127.0.0.1:1\nlog.level = warning\n")
        daemon = Daemon("--config", props, listen=None, env={"PARCOURS_LISTEN": "127.0.0.1:0"})
        with daemon:
            self.assertNotEqual(daemon.port, 1, "the file's listen won over PARCOURS_LISTEN")
            status, _, _ = daemon.request("GET", "/healthz", headers={"X-Request-Id": "layer-env"})
            self.assertEqual(status, 200)
            # log.level = warning from the file still applies: no request lines.
            status, _, _ = daemon.request("GET", "/nope", headers={"X-Request-Id": "layer-env-2"})
            self.assertEqual(status, 404)
            time.sleep(0.5)  # give the asynchronous logger its chance to write
            self.assertNotIn("rid=layer-env", daemon.log_text())

    def test_option_overrides_the_environment(self):
        props = self.properties("log.level = information\n")
        daemon = Daemon("--config", props, env={"PARCOURS_LISTEN": "127.0.0.1:1"})  # --listen 127.0.0.1:0
        with daemon:
            self.assertNotEqual(daemon.port, 1, "PARCOURS_LISTEN won over --listen")
            status, _, _ = daemon.request("GET", "/healthz", headers={"X-Request-Id": "layer-opt"})
            self.assertEqual(status, 200)
            # log.level = information from the file: the request line is logged.
            self.assertTrue(daemon.wait_for_log("rid=layer-opt"), daemon.log_text())

    def test_environment_log_level_overrides_the_file(self):
        props = self.properties("log.level = information\n")
        with Daemon("--config", props, env={"PARCOURS_LOG_LEVEL": "warning"}) as daemon:
            status, _, _ = daemon.request("GET", "/healthz", headers={"X-Request-Id": "layer-level"})
            self.assertEqual(status, 200)
            time.sleep(0.5)
            self.assertNotIn("rid=layer-level", daemon.log_text())

    def test_unknown_key_in_the_file_stops_the_daemon(self):
        props = self.properties("htp.port = 3\n")
        folder = temp_dir(self, "parcours-e2e-config-")
        run = run_parcoursd("--config", props, "--listen", "127.0.0.1:0", "--database", f"sqlite:{folder}/db",
                            timeout=30)
        self.assert_clean_failure(run, "htp.port")

    def test_unknown_key_with_set_stops_the_daemon(self):
        folder = temp_dir(self, "parcours-e2e-config-")
        run = run_parcoursd("--set", "htp.port=3", "--listen", "127.0.0.1:0", "--database", f"sqlite:{folder}/db",
                            timeout=30)
        self.assert_clean_failure(run, "htp.port")

    def test_out_of_range_value_stops_the_daemon(self):
        folder = temp_dir(self, "parcours-e2e-config-")
        run = run_parcoursd("--set", "http.max_body_bytes=5", "--listen", "127.0.0.1:0",
                            "--database", f"sqlite:{folder}/db", timeout=30)
        self.assert_clean_failure(run, "http.max_body_bytes")

    def test_bad_database_url(self):
        run = run_parcoursd("--listen", "127.0.0.1:0", "--database", "mysql://bad", timeout=30)
        self.assert_clean_failure(run, "database URL")
        run = run_parcoursd("migrate", "--database", "mysql://bad", timeout=30)
        self.assert_clean_failure(run, "database URL")

    def test_unknown_option_prints_usage(self):
        run = run_parcoursd("--bogus", timeout=30)
        self.assert_clean_failure(run, "usage")
        self.assertIn("--bogus", run.stderr)
        run = run_parcoursd("--bogus", "1", timeout=30)
        self.assert_clean_failure(run, "usage")

    def test_help_prints_usage(self):
        run = run_parcoursd("--help", timeout=30)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("usage", run.stdout.lower())
        self.assertIn("parcoursd migrate", run.stdout)
        self.assertIn("--database", run.stdout)


if __name__ == "__main__":
    unittest.main()
