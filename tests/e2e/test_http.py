"""HTTP behaviour of parcoursd (SQLite): health, request ids, keep-alive,
problem+json for bad requests (and the daemon keeps serving after each),
body limits, metrics and the request log."""

import json
import re
import time
import unittest
import uuid

from harness import Daemon, assert_problem, poll, read_raw_response, send_all_tolerant

ONE_MIB = 1048576
JSON = {"Content-Type": "application/json"}


class DaemonTestCase(unittest.TestCase):
    """One SQLite daemon per class."""

    daemon_args = ()

    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(*cls.daemon_args)
        try:
            cls.daemon.start()
        except BaseException:
            cls.daemon.close()
            raise
        cls.healthz_ok = 0  # GET /healthz answered 200 by this daemon so far

    @classmethod
    def tearDownClass(cls):
        daemon = cls.daemon
        try:
            code = daemon.stop()
        finally:
            daemon.close()
        if code != 0:
            raise AssertionError(f"parcoursd exited with {code} on SIGTERM:\n{daemon.log_text()}")

    def healthz(self, headers=None):
        status, response_headers, body = self.daemon.request("GET", "/healthz", headers=headers)
        self.assertEqual(status, 200, body)
        type(self).healthz_ok += 1
        return response_headers, body

    def assert_still_serving(self):
        """After a bad request: the process is alive and /healthz answers 200
        on a new connection."""
        self.assertIsNone(self.daemon.process.poll(),
                          f"parcoursd died (exit {self.daemon.process.poll()}):\n{self.daemon.log_text()}")
        _, body = self.healthz()
        self.assertEqual(json.loads(body), {"status": "ok"})
        self.assertIsNone(self.daemon.process.poll())

    def raw_exchange(self, head, body_parts=(), timeout=30):
        """Sends head and body parts on a new raw socket (tolerating an early
        close by the server) and reads one response."""
        with self.daemon.raw_socket(timeout) as sock:
            if send_all_tolerant(sock, head):
                for part in body_parts:
                    if not send_all_tolerant(sock, part):
                        break
            return read_raw_response(sock, timeout)


class Health(DaemonTestCase):
    def test_healthz_is_ok_with_length_and_request_id(self):
        headers, body = self.healthz()
        self.assertEqual(json.loads(body), {"status": "ok"})
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
        self.assertIn("content-length", headers)
        self.assertEqual(int(headers["content-length"]), len(body))
        self.assertIn("x-request-id", headers)
        self.assertTrue(headers["x-request-id"].strip(), headers)

    def test_generated_request_ids_differ(self):
        first, _ = self.healthz()
        second, _ = self.healthz()
        self.assertNotEqual(first["x-request-id"], second["x-request-id"])

    def test_request_id_is_the_daemons_own_and_the_clients_is_returned_beside_it(self):
        headers, _ = self.healthz(headers={"X-Request-Id": "abc-123"})
        self.assertRegex(headers.get("x-request-id", ""), r"^[0-9a-f]{32}$")
        self.assertEqual(headers.get("x-client-request-id"), "abc-123")

    def test_an_unacceptable_client_request_id_is_not_returned(self):
        headers, _ = self.healthz(headers={"X-Request-Id": "has spaces/and slashes"})
        self.assertRegex(headers.get("x-request-id", ""), r"^[0-9a-f]{32}$")
        self.assertNotIn("x-client-request-id", headers)

    def test_keep_alive_reuses_one_connection(self):
        conn = self.daemon.connection()
        try:
            sockets = []
            for i in range(3):
                conn.request("GET", "/healthz", headers={"X-Request-Id": f"keepalive-{i}"})
                response = conn.getresponse()
                body = response.read()
                self.assertEqual(response.status, 200)
                type(self).healthz_ok += 1
                self.assertEqual(json.loads(body), {"status": "ok"})
                self.assertEqual(response.getheader("X-Client-Request-Id"), f"keepalive-{i}")
                self.assertNotEqual((response.getheader("Connection") or "").strip().lower(), "close")
                self.assertFalse(response.will_close, "the server asked to close the connection")
                self.assertIsNotNone(conn.sock, "http.client dropped the connection")
                sockets.append((id(conn.sock), conn.sock.fileno(), conn.sock.getsockname()))
            self.assertEqual(len(set(sockets)), 1, f"three requests should share one socket: {sockets}")
        finally:
            conn.close()

    def test_readyz_is_200_on_sqlite(self):
        status, headers, body = self.daemon.request("GET", "/readyz")
        self.assertEqual(status, 200, body)
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
        self.assertIn("x-request-id", headers)


class BadRequests(DaemonTestCase):
    """Each bad request gets a clear 4xx problem, never a 500, and the daemon
    keeps serving."""

    def test_unknown_path_is_404(self):
        status, headers, body = self.daemon.request("GET", "/nope")
        assert_problem(self, status, headers, body, 404)
        self.assertIn("x-request-id", headers)
        self.assert_still_serving()

    def test_unknown_api_path_with_query_is_404(self):
        status, headers, body = self.daemon.request("GET", "/api/v1/unknown/123?x=1")
        assert_problem(self, status, headers, body, 404)
        self.assert_still_serving()

    def test_wrong_method_is_405_with_allow(self):
        status, headers, body = self.daemon.request("POST", "/healthz")
        assert_problem(self, status, headers, body, 405)
        self.assertIn("allow", headers)
        self.assertEqual([m.strip() for m in headers["allow"].split(",")], ["GET"])
        self.assert_still_serving()

    def test_malformed_json_object_is_400(self):
        status, headers, body = self.daemon.request("GET", "/healthz", body='{"a": ', headers=JSON)
        assert_problem(self, status, headers, body, 400)
        self.assert_still_serving()

    def test_malformed_json_array_is_400(self):
        status, headers, body = self.daemon.request("GET", "/healthz", body="[1,2,", headers=JSON)
        assert_problem(self, status, headers, body, 400)
        self.assert_still_serving()

    def test_malformed_json_with_charset_is_400(self):
        status, headers, body = self.daemon.request(
            "GET", "/healthz", body='{"a": ', headers={"Content-Type": "application/json; charset=utf-8"})
        assert_problem(self, status, headers, body, 400)
        self.assert_still_serving()

    def test_well_formed_json_passes_through(self):
        status, _, body = self.daemon.request("GET", "/healthz", body='{"a": [1, 2]}', headers=JSON)
        self.assertEqual(status, 200, body)
        type(self).healthz_ok += 1
        self.assertEqual(json.loads(body), {"status": "ok"})

    def test_body_over_one_mib_with_content_length_is_413(self):
        size = ONE_MIB + 1
        head = f"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n\r\n".encode()
        response = self.raw_exchange(head, [b"x" * size])
        self.assertIsNotNone(response, "the server closed the connection without an answer")
        assert_problem(self, *response, 413)
        self.assert_still_serving()

    def test_chunked_body_over_one_mib_is_413(self):
        size = ONE_MIB + 1
        chunks, left = [], size
        while left:
            n = min(65536, left)
            chunks.append(b"%x\r\n" % n + b"y" * n + b"\r\n")
            left -= n
        chunks.append(b"0\r\n\r\n")
        head = b"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        response = self.raw_exchange(head, chunks)
        self.assertIsNotNone(response, "the server closed the connection without an answer")
        assert_problem(self, *response, 413)
        self.assert_still_serving()

    def test_body_of_exactly_one_mib_is_not_413(self):
        head = f"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: {ONE_MIB}\r\n\r\n".encode()
        response = self.raw_exchange(head, [b"x" * ONE_MIB])
        self.assertIsNotNone(response)
        assert_problem(self, *response, 405)
        self.assert_still_serving()

    def test_ten_thousand_character_path(self):
        with self.daemon.raw_socket() as sock:
            send_all_tolerant(sock, b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            response = read_raw_response(sock)
        if response is not None:  # closing the connection without an answer is allowed
            status, headers, body = response
            self.assertTrue(400 <= status < 500, f"expected a 4xx, got {status}: {body[:200]!r}")
        self.assert_still_serving()

    def test_invalid_percent_encoding(self):
        for path in ["/%zz", "/api/v1/%zz", "/healthz%", "/%e9%00"]:
            with self.subTest(path=path):
                status, headers, body = self.daemon.request("GET", path)
                self.assertIn(status, (400, 404), body)
                assert_problem(self, status, headers, body, status)
                self.assert_still_serving()

    def first_line_of_answer(self, request):
        """Sends request bytes on a new socket → the first line of the answer
        (b"" when the server closed without answering)."""
        with self.daemon.raw_socket(10) as sock:
            send_all_tolerant(sock, request)
            data = b""
            while b"\r\n" not in data:
                try:
                    chunk = sock.recv(4096)
                except (ConnectionResetError, TimeoutError):
                    break
                if not chunk:
                    break
                data += chunk
        return data.split(b"\r\n", 1)[0]

    def test_hostile_request_lines_get_a_valid_4xx_status_line(self):
        # RFC 9112: an invalid request line gets 400 (505 for an unsupported
        # major version); the answer is still HTTP/1.x. Closing is allowed.
        for request in [b"\x00\xff garbage \x01\r\n\r\n",
                        b"GET /healthz FOO\r\n\r\n",
                        b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
                        b"hello\r\n\r\n"]:
            with self.subTest(request=request):
                line = self.first_line_of_answer(request)
                if line:
                    self.assertRegex(line, rb"^HTTP/1\.[01] (4\d\d|505) ", f"answer to {request!r}")
                self.assert_still_serving()

    def test_invalid_content_length_is_refused(self):
        # RFC 9112 §6.3: an invalid Content-Length is a 400 (then close);
        # closing without an answer is allowed, serving the request is not.
        for value in [b"abc", b"-5", b"1, 2"]:
            with self.subTest(content_length=value):
                line = self.first_line_of_answer(
                    b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + value + b"\r\n\r\n")
                if line:
                    self.assertRegex(line, rb"^HTTP/1\.1 400 ", f"answer to Content-Length: {value!r}")
                self.assert_still_serving()


class SmallBodyLimit(DaemonTestCase):
    daemon_args = ("--set", "http.max_body_bytes=2048")

    def post_healthz(self, size):
        head = f"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n\r\n".encode()
        response = self.raw_exchange(head, [b"z" * size])
        self.assertIsNotNone(response, f"no answer to a {size}-byte body")
        return response

    def test_one_byte_over_the_limit_is_413(self):
        assert_problem(self, *self.post_healthz(2049), 413)
        self.assert_still_serving()

    def test_at_the_limit_the_route_answers_405(self):
        status, headers, body = self.post_healthz(2048)
        self.assertNotEqual(status, 413, "a body of exactly http.max_body_bytes is allowed")
        assert_problem(self, status, headers, body, 405)
        self.assertEqual(headers.get("allow"), "GET")
        self.assert_still_serving()

    def test_chunked_over_the_limit_is_413(self):
        head = b"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        chunks = [b"400\r\n" + b"c" * 1024 + b"\r\n"] * 2 + [b"1\r\nc\r\n", b"0\r\n\r\n"]
        assert_problem(self, *self.raw_exchange(head, chunks), 413)
        self.assert_still_serving()


class MetricsAndLog(DaemonTestCase):
    """Metrics label requests by route pattern, and the log has one line per
    request, neither ever showing the concrete path or query values."""

    def metrics(self):
        status, headers, body = self.daemon.request("GET", "/metrics")
        self.assertEqual(status, 200, body)
        self.assertTrue(headers.get("content-type", "").startswith("text/plain"), headers)
        return body.decode()

    HEALTHZ_200 = 'parcours_http_requests_total{route="/healthz",method="GET",status="200"}'

    @staticmethod
    def sample(text, series):
        """The value of one exact series line, or None."""
        values = [line[len(series):].strip() for line in text.splitlines() if line.startswith(series + " ")]
        if len(values) > 1:
            raise AssertionError(f"series {series} appears {len(values)} times")
        return float(values[0]) if values else None

    def wait_for_sample(self, series, at_least):
        """Metrics are recorded once the response is written, so the next
        scrape may race with the last request: poll briefly."""
        text = poll(lambda: (lambda t: t if (self.sample(t, series) or 0) >= at_least else None)(self.metrics()),
                    5, 0.05)
        if text is None:
            text = self.metrics()
            self.fail(f"{series} stayed below {at_least}:\n{text}")
        return text

    def test_metrics_count_healthz_and_label_unmatched_routes(self):
        for _ in range(3):
            self.healthz()
        status, _, _ = self.daemon.request("GET", "/nope")
        self.assertEqual(status, 404)
        status, _, _ = self.daemon.request("GET", "/api/v1/secret-name-Bouchard/42?q=Leblanc")
        self.assertEqual(status, 404)
        text = self.wait_for_sample(self.HEALTHZ_200, type(self).healthz_ok)
        self.assertGreaterEqual(self.sample(text, self.HEALTHZ_200), type(self).healthz_ok)
        self.assertIn('parcours_http_request_duration_seconds_bucket{route="/healthz",method="GET",le="+Inf"}', text)
        self.assertRegex(text, r"(?m)^parcours_db_pool_connections \d+$")
        self.assertIn('route="(unmatched)"', text)
        text = self.wait_for_sample('parcours_http_requests_total{route="(unmatched)",method="GET",status="404"}', 2)
        for concrete in ("/nope", "Bouchard", "Leblanc", "/api/v1/secret"):
            self.assertNotIn(concrete, text)

    def test_metrics_counter_grows_by_the_requests_made(self):
        text = self.wait_for_sample(self.HEALTHZ_200, type(self).healthz_ok)
        before = self.sample(text, self.HEALTHZ_200) or 0
        self.healthz()
        self.healthz()
        text = self.wait_for_sample(self.HEALTHZ_200, before + 2)
        time.sleep(0.2)
        self.assertEqual(self.sample(self.metrics(), self.HEALTHZ_200), before + 2)

    def test_metrics_route_is_counted_under_its_pattern(self):
        self.metrics()
        self.wait_for_sample('parcours_http_requests_total{route="/metrics",method="GET",status="200"}', 1)

    def test_one_log_line_per_request_without_query_values(self):
        marker = uuid.uuid4().hex[:12]
        requests = [
            ("GET", "/healthz", 200, f"hz-{marker}"),
            ("GET", "/nope?name=Tremblay", 404, f"nope-{marker}"),
            ("POST", "/healthz", 405, f"post-{marker}"),
            ("GET", "/readyz?who=Gagnon", 200, f"ready-{marker}"),
        ]
        own = {}
        for method, path, expected, rid in requests:
            status, headers, _ = self.daemon.request(method, path, headers={"X-Request-Id": rid})
            self.assertEqual(status, expected, path)
            self.assertEqual(headers.get("x-client-request-id"), rid)
            own[rid] = headers["x-request-id"]
        status, headers, _ = self.daemon.request("GET", "/healthz", headers={"X-Request-Id": "abc-123"})
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("x-client-request-id"), "abc-123")
        type(self).healthz_ok += 2
        self.assertTrue(poll(lambda: all(f"client_rid={rid}" in self.daemon.log_text() for *_, rid in requests)
                             and "client_rid=abc-123" in self.daemon.log_text(), 5, 0.05),
                        self.daemon.log_text())
        time.sleep(0.5)  # let the asynchronous logger flush anything else it might write
        log = self.daemon.log_text()
        for method, path, expected, rid in requests:
            lines = [line for line in log.splitlines() if re.search(rf"client_rid={re.escape(rid)}\b", line)]
            self.assertEqual(len(lines), 1, f"exactly one log line for {method} {path}: {lines}")
            self.assertRegex(lines[0], rf" {method} \S+ {expected} ")
            self.assertIn(f" rid={own[rid]} ", lines[0], "the log names the daemon's own id")
        healthz_lines = [line for line in log.splitlines() if re.search(r"client_rid=abc-123\b", line)]
        self.assertEqual(len(healthz_lines), 1, healthz_lines)
        self.assertIn("GET /healthz 200", healthz_lines[0])
        ready_lines = [line for line in log.splitlines() if f"client_rid=ready-{marker}" in line]
        self.assertIn("GET /readyz 200", ready_lines[0])
        for secret in ("Tremblay", "Gagnon", "name=", "who="):
            self.assertNotIn(secret, log)


if __name__ == "__main__":
    unittest.main()
