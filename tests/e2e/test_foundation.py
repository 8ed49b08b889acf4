"""The foundation over HTTP: health, problem+json for bad requests (the
daemon keeps serving after each), readiness across a MariaDB stop/start,
graceful SIGTERM, migrate, configuration layering."""

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from daemon_harness import BIN, Daemon, MariaDB, assert_problem, poll


class HttpBasics(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon("--set", "http.max_body_bytes=4096").start()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()

    def still_serving(self):
        status, _, body = self.daemon.request("GET", "/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ok"})
        self.assertTrue(self.daemon.alive())

    def test_healthz_has_request_id_length_and_keeps_alive(self):
        conn = self.daemon.connection()
        sockets = set()
        for _ in range(3):
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read()
            self.assertEqual(response.status, 200)
            self.assertEqual(json.loads(body), {"status": "ok"})
            self.assertEqual(int(response.getheader("Content-Length")), len(body))
            self.assertTrue(response.getheader("X-Request-Id"))
            self.assertNotEqual((response.getheader("Connection") or "").lower(), "close")
            sockets.add(id(conn.sock))
        conn.close()
        self.assertEqual(len(sockets), 1, "keep-alive: one connection for three requests")

    def test_client_request_id_is_echoed_and_logged_without_query(self):
        status, headers, _ = self.daemon.request("GET", "/nope?name=Tremblay", headers={"X-Request-Id": "abc-123"})
        self.assertEqual(status, 404)
        self.assertEqual(headers["x-request-id"], "abc-123")
        self.assertTrue(poll(lambda: "rid=abc-123" in self.daemon.log_text(), 5))
        log = self.daemon.log_text()
        self.assertIn("GET (unmatched) 404", log)
        self.assertNotIn("Tremblay", log)
        self.assertNotIn("/nope", log)

    def test_unknown_path_is_404_problem(self):
        for path in ["/nope", "/api/v1/unknown/123?x=1", "/%zz"]:
            status, headers, body = self.daemon.request("GET", path)
            self.assertIn(status, (400, 404), path)
            assert_problem(self, status, headers, body, status)
            self.still_serving()

    def test_wrong_method_is_405_with_allow(self):
        status, headers, body = self.daemon.request("POST", "/healthz")
        assert_problem(self, status, headers, body, 405)
        self.assertEqual(headers["allow"], "GET")
        self.still_serving()

    def test_malformed_json_is_400(self):
        for text in ['{"a": ', "[1,2,", "nul"]:
            status, headers, body = self.daemon.request(
                "GET", "/healthz", body=text, headers={"Content-Type": "application/json"})
            problem = assert_problem(self, status, headers, body, 400)
            self.assertIn("JSON", problem["detail"])
            self.still_serving()
        status, _, _ = self.daemon.request("GET", "/healthz", body='{"a": 1}',
                                           headers={"Content-Type": "application/json"})
        self.assertEqual(status, 200)

    def test_oversized_body_is_413_and_the_connection_closes(self):
        status, headers, body = self.daemon.request("POST", "/healthz", body=b"x" * 4097)
        assert_problem(self, status, headers, body, 413)
        self.assertEqual(headers.get("connection", "").lower(), "close")
        self.still_serving()
        status, _, _ = self.daemon.request("POST", "/healthz", body=b"x" * 4096)
        self.assertEqual(status, 405, "at the limit the body is accepted and the route answers")
        # Chunked, with no Content-Length to refuse it up front.
        with socket.create_connection(("127.0.0.1", self.daemon.port), timeout=10) as s:
            s.sendall(b"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(5):
                s.sendall(b"400\r\n" + b"y" * 1024 + b"\r\n")
            s.sendall(b"0\r\n\r\n")
            self.assertIn(b" 413 ", s.recv(4096))
        self.still_serving()

    def test_hostile_request_lines(self):
        with socket.create_connection(("127.0.0.1", self.daemon.port), timeout=10) as s:
            s.sendall(b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = s.recv(4096)
            self.assertTrue(reply == b"" or b" 4" in reply.split(b"\r\n")[0], reply[:100])
        with socket.create_connection(("127.0.0.1", self.daemon.port), timeout=10) as s:
            s.sendall(b"\x00\xff garbage\r\n\r\n")
            s.recv(4096)
        self.still_serving()

    def test_readyz_and_metrics(self):
        status, _, body = self.daemon.request("GET", "/readyz")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ready"})
        self.daemon.request("GET", "/healthz")
        self.daemon.request("GET", "/nope")
        status, headers, body = self.daemon.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain"))
        text = body.decode()
        counts = [int(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                  if line.startswith('parcours_http_requests_total{route="/healthz",method="GET",status="200"}')]
        self.assertEqual(len(counts), 1, text)
        self.assertGreaterEqual(counts[0], 1)
        self.assertIn('parcours_http_request_duration_seconds_bucket{route="/healthz",method="GET",le="+Inf"}', text)
        self.assertIn('route="(unmatched)"', text)
        self.assertIn("parcours_db_pool_connections ", text)
        self.assertNotIn("/nope", text)

    def test_openapi_document_is_served(self):
        status, headers, body = self.daemon.request("GET", "/api/v1/openapi.yaml")
        self.assertEqual(status, 200)
        self.assertIn(b"openapi: 3", body)
        self.assertIn(b"/readyz:", body)


class Lifecycle(unittest.TestCase):
    def test_sigterm_lets_the_request_in_flight_finish(self):
        daemon = Daemon().start()
        try:
            s = socket.create_connection(("127.0.0.1", daemon.port), timeout=10)
            s.sendall(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"a" * 50)
            time.sleep(0.3)
            daemon.process.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            s.sendall(b"b" * 50)
            reply = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
            s.close()
            self.assertTrue(reply.startswith(b"HTTP/1.1 405"), reply[:200])
            self.assertIn(b"connection: close", reply.lower())
            self.assertEqual(daemon.process.wait(30), 0)
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", daemon.port), timeout=2).close()
        finally:
            daemon.stop(signal.SIGKILL)

    def test_migrate_applies_once(self):
        folder = tempfile.mkdtemp()
        url = f"sqlite:{folder}/db.sqlite"
        first = subprocess.run([BIN, "migrate", "--database", url], capture_output=True, timeout=60)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn(b"migration(s) applied", first.stdout)
        self.assertNotIn(b"\n0 migration(s) applied", b"\n" + first.stdout)
        second = subprocess.run([BIN, "migrate", "--database", url], capture_output=True, timeout=60)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn(b"0 migration(s) applied", second.stdout)

    def test_configuration_layers_and_errors(self):
        folder = tempfile.mkdtemp()
        props = os.path.join(folder, "p.properties")
        with open(props, "w") as f:
            f.write("listen = 127.0.0.1:1\nlog.level = warning\n")
        # The harness passes --listen 127.0.0.1:0, which beats file and environment.
        with Daemon("--config", props, env={"PARCOURS_LISTEN": "127.0.0.1:2"}) as daemon:
            self.assertEqual(daemon.request("GET", "/healthz")[0], 200)
            time.sleep(0.3)
            self.assertNotIn("GET /healthz 200", daemon.log_text(), "log.level=warning from the file")
        # Environment beats the file.
        env = dict(os.environ, PARCOURS_LISTEN="127.0.0.1:0", PARCOURS_DATABASE=f"sqlite:{folder}/e.db")
        process = subprocess.Popen([BIN, "--config", props], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   env=env)
        try:
            self.assertTrue(process.stdout.readline().startswith(b"parcoursd listening on http://127.0.0.1:"))
        finally:
            process.terminate()
            self.assertEqual(process.wait(30), 0)
        with open(props, "w") as f:
            f.write("htp.port = 3\n")
        bad = subprocess.run([BIN, "--config", props], capture_output=True, timeout=30)
        self.assertEqual(bad.returncode, 1)
        self.assertIn(b"htp.port", bad.stderr)
        bad = subprocess.run([BIN, "--database", "mysql://bad"], capture_output=True, timeout=30)
        self.assertEqual(bad.returncode, 1)
        self.assertIn(b"database URL", bad.stderr)
        bad = subprocess.run([BIN, "--bogus", "1"], capture_output=True, timeout=30)
        self.assertEqual(bad.returncode, 1)
        self.assertIn(b"usage", bad.stderr)
        ok = subprocess.run([BIN, "--help"], capture_output=True, timeout=30)
        self.assertEqual(ok.returncode, 0)
        self.assertIn(b"parcoursd migrate", ok.stdout)


class MariaDBReadiness(unittest.TestCase):
    def test_readyz_follows_the_database_without_a_restart(self):
        with MariaDB() as mariadb:
            with Daemon(database=mariadb.url) as daemon:
                self.assertEqual(daemon.request("GET", "/readyz")[0], 200)
                mariadb.stop()
                self.assertTrue(poll(lambda: daemon.request("GET", "/readyz")[0] == 503, 15))
                status, headers, body = daemon.request("GET", "/readyz")
                assert_problem(self, status, headers, body, 503)
                self.assertEqual(daemon.request("GET", "/healthz")[0], 200)
                mariadb.start()
                self.assertTrue(poll(lambda: daemon.request("GET", "/readyz")[0] == 200, 30))
                self.assertEqual(daemon.request("GET", "/metrics")[0], 200)
                self.assertNotIn(":parcours@", daemon.log_text())

    def test_two_daemons_migrating_at_once_apply_each_step_once(self):
        with MariaDB() as mariadb:
            runs = [subprocess.Popen([BIN, "migrate", "--database", mariadb.url], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE) for _ in range(2)]
            outputs = [run.communicate(timeout=120) for run in runs]
            for run, (out, err) in zip(runs, outputs):
                self.assertEqual(run.returncode, 0, err)
            applied = sorted(int(out.split(b"\n")[-2].split(b" ")[0]) for out, _ in outputs)
            self.assertEqual(applied[0], 0, outputs)
            again = subprocess.run([BIN, "migrate", "--database", mariadb.url], capture_output=True, timeout=60)
            self.assertIn(b"0 migration(s) applied", again.stdout)
            total = int(again.stdout.split(b"; ")[1].split(b" ")[0])
            self.assertEqual(applied[1], total, "one process applied everything, the other nothing")

    def test_unreachable_database_at_start_fails_cleanly(self):
        mariadb = MariaDB().start()
        url = mariadb.url
        mariadb.stop()
        run = subprocess.run([BIN, "--listen", "127.0.0.1:0", "--database", url,
                              "--set", "database.startup_wait_seconds=2"], capture_output=True, timeout=60)
        self.assertEqual(run.returncode, 1)
        self.assertIn(b"unavailable", run.stderr)
        self.assertNotIn(b":parcours@", run.stderr)


if __name__ == "__main__":
    unittest.main()
