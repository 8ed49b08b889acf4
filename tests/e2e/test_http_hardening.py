"""HTTP hardening (issue 9): headers on answers that may carry personal data,
slow and idle clients that must not starve the workers, made-up methods
that must not grow /metrics, trusted proxies, and the daemon's own request
id in the audit log. SQLite; loopback only."""

import json
import socket
import threading
import time
import unittest
import urllib.parse
import uuid

from harness import Daemon, assert_problem, poll, read_raw_response, send_all_tolerant
from people_fixtures import PASSWORD, admin_create, api, create_practitioner, create_user, login, unique_letters


def start_daemon(testcase_class, *args):
    daemon = Daemon(*args)
    try:
        daemon.start()
    except BaseException:
        daemon.close()
        raise
    return daemon


def stop_daemon(daemon):
    try:
        code = daemon.stop()
    finally:
        daemon.close()
    if code != 0:
        raise AssertionError(f"parcoursd exited with {code} on SIGTERM:\n{daemon.log_text()}")


class DaemonCase(unittest.TestCase):
    daemon_args = ()

    @classmethod
    def setUpClass(cls):
        cls.daemon = start_daemon(cls, *cls.daemon_args)

    @classmethod
    def tearDownClass(cls):
        stop_daemon(cls.daemon)

    def timed_healthz(self, timeout=10):
        """GET /healthz on a fresh connection → seconds it took (fails on no answer)."""
        started = time.monotonic()
        status, _, body = self.daemon.request("GET", "/healthz", timeout=timeout)
        self.assertEqual(status, 200, body)
        return time.monotonic() - started

    def open_sockets(self, count, timeout=30):
        sockets = []
        for _ in range(count):
            sock = self.daemon.raw_socket(timeout)
            sockets.append(sock)
            self.addCleanup(sock.close)
        return sockets

    def open_idle_sockets(self, count):
        """Keep-alive connections that each served one request, idle from
        the first to the last (a clear order of idleness)."""
        idle = self.open_sockets(count)
        for sock in idle:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(read_raw_response(sock, 5)[0], 200)
            time.sleep(0.05)
        return idle


def closed_by_server(sock, within):
    """Waits up to `within` seconds → True when the server closed the socket
    (EOF or reset), False when it is still open."""
    sock.settimeout(within)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except (socket.timeout, TimeoutError):
        return False


# ---- 3: Cache-Control and nosniff -------------------------------------------

class PrivateAnswers(DaemonCase):
    """Every answer says no-store and nosniff: JSON, problems, iCalendar, health."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        email = f"admin.{unique_letters()}@example.org"
        admin_create(cls.daemon, email, PASSWORD)
        cls.admin = login(cls.daemon, email)
        coordinator_email, _ = create_user(cls.daemon, cls.admin, "coordinator")
        cls.coordinator = login(cls.daemon, coordinator_email)

    def assert_private(self, headers, what):
        self.assertEqual(headers.get("cache-control", "").replace(" ", "").split(",")[-1], "no-store",
                         f"{what}: {headers}")
        self.assertIn("no-store", headers.get("cache-control", ""), what)
        self.assertEqual(headers.get("x-content-type-options"), "nosniff", f"{what}: {headers}")

    def test_json_answer(self):
        status, headers, body = api(self.daemon, "GET", "/api/v1/users/me", token=self.admin)
        self.assertEqual(status, 200, body)
        self.assertTrue(headers["content-type"].startswith("application/json"))
        self.assert_private(headers, "GET /api/v1/users/me")

    def test_problem_answers(self):
        status, headers, body = self.daemon.request("GET", "/api/v1/users/me")
        assert_problem(self, status, headers, body, 401)
        self.assert_private(headers, "401")
        status, headers, body = self.daemon.request("GET", "/nope")
        assert_problem(self, status, headers, body, 404)
        self.assert_private(headers, "404")

    def test_health_and_metrics(self):
        for path in ("/healthz", "/readyz", "/metrics"):
            status, headers, _ = self.daemon.request("GET", path)
            self.assertEqual(status, 200, path)
            self.assert_private(headers, path)

    def test_icalendar_feed(self):
        practitioner = create_practitioner(self.daemon, self.coordinator)
        status, _, feed = api(self.daemon, "POST", f"/api/v1/practitioners/{practitioner['id']}/feed-token",
                              token=self.coordinator)
        self.assertIn(status, (200, 201), feed)
        parts = urllib.parse.urlsplit(feed["url"])
        status, headers, body = self.daemon.request("GET", parts.path + "?" + parts.query)
        self.assertEqual(status, 200, body[:300])
        self.assertTrue(headers["content-type"].startswith("text/calendar"), headers)
        self.assert_private(headers, "iCalendar feed")


# ---- 8: slow and idle clients --------------------------------------------------

class SlowClientsDoNotStarveWorkers(DaemonCase):
    """8 workers. Only http.max_threads is set, so the same class runs
    against a daemon from before the fix (where it fails)."""

    daemon_args = ("--set", "http.max_threads=8")

    def test_sixteen_trickling_heads_leave_healthz_answering_within_two_seconds(self):
        sockets = self.open_sockets(16)
        for sock in sockets:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        stop = threading.Event()

        def trickle():
            while not stop.wait(0.5):
                for sock in sockets:
                    send_all_tolerant(sock, b"x")

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        self.addCleanup(trickler.join, 5)
        self.addCleanup(stop.set)
        time.sleep(1.0)  # every trickler is connected and has sent bytes
        for _ in range(3):
            self.assertLess(self.timed_healthz(timeout=5), 2.0)

    def test_idle_keep_alive_connections_beyond_the_pool_leave_healthz_answering(self):
        connections = []
        for _ in range(20):
            conn = self.daemon.connection(timeout=10)
            self.addCleanup(conn.close)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            self.assertEqual(response.status, 200)
            self.assertFalse(response.will_close)
            connections.append(conn)
        # 20 idle keep-alive connections, 8 workers: a new client still gets in.
        self.assertLess(self.timed_healthz(timeout=5), 2.0)
        # ... and the idle ones still work afterwards.
        for conn in connections[:3]:
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            self.assertEqual(response.status, 200)


class Deadlines(DaemonCase):
    daemon_args = ("--set", "http.max_threads=4", "--set", "http.request_deadline_seconds=2",
                   "--set", "http.keep_alive_seconds=1")

    def test_a_head_trickled_faster_than_any_per_read_timeout_is_cut_at_the_deadline(self):
        sock, = self.open_sockets(1)
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 6:
            if not send_all_tolerant(sock, b"X-Slow: 1\r\n"):
                closed = True
                break
            if closed_by_server(sock, 0.3):
                closed = True
                break
        elapsed = time.monotonic() - started
        self.assertTrue(closed, "a head still arriving after 6 s was not cut")
        self.assertGreater(elapsed, 1.5, "cut before the deadline")
        self.assertLess(elapsed, 4.0, "not cut at the 2 s deadline")

    def test_a_trickled_body_gets_408_at_the_deadline(self):
        sock, = self.open_sockets(1)
        sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{")
        started = time.monotonic()
        answer = None
        sock.settimeout(0.3)
        data = b""
        while time.monotonic() - started < 6:
            send_all_tolerant(sock, b" ")
            try:
                chunk = sock.recv(4096)
            except (socket.timeout, TimeoutError):
                continue
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                answer = data
                break
        self.assertIsNotNone(answer, "no answer to a body trickled past the deadline")
        self.assertTrue(answer.startswith(b"HTTP/1.1 408 "), answer[:200])
        self.assertLess(time.monotonic() - started, 4.0)

    def test_a_silent_new_connection_is_closed_at_the_deadline(self):
        sock, = self.open_sockets(1)
        self.assertFalse(closed_by_server(sock, 1.0), "closed too early")
        self.assertTrue(closed_by_server(sock, 3.0), "a silent connection outlived the deadline")

    def test_an_idle_keep_alive_connection_is_closed_after_keep_alive_seconds(self):
        sock, = self.open_sockets(1)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        status, headers, _ = read_raw_response(sock)
        self.assertEqual(status, 200)
        self.assertNotEqual(headers.get("connection", "").lower(), "close")
        self.assertTrue(closed_by_server(sock, 3.0), "an idle keep-alive connection outlived keep_alive_seconds")

    def test_pipelined_requests_are_answered_in_order(self):
        sock, = self.open_sockets(1)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\n\r\n"
                     b"GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n"
                     b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: third\r\n\r\n")
        sock.settimeout(5)
        stream = sock.makefile("rb")
        answers = []
        for _ in range(3):  # answers may arrive in one segment: read them from one buffered stream
            status = int(stream.readline().split()[1])
            headers = {}
            for line in iter(stream.readline, b"\r\n"):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            stream.read(int(headers["content-length"]))
            answers.append((status, headers.get("x-client-request-id")))
        self.assertEqual(answers, [(200, "first"), (404, "second"), (200, "third")])

    def test_a_head_larger_than_the_limit_gets_431(self):
        sock, = self.open_sockets(1)
        head = b"GET /healthz HTTP/1.1\r\n" + b"".join(b"X-Filler-%d: %s\r\n" % (i, b"y" * 1000)
                                                      for i in range(80))
        send_all_tolerant(sock, head)
        response = read_raw_response(sock, 5)
        if response is not None:  # closing without an answer is allowed
            self.assertEqual(response[0], 431, response)


class PerAddressCap(DaemonCase):
    daemon_args = ("--set", "http.max_connections_per_address=4")

    def test_connections_beyond_the_cap_are_refused_and_room_comes_back(self):
        held = self.open_sockets(4)
        time.sleep(0.2)
        extra, = self.open_sockets(1, timeout=5)
        send_all_tolerant(extra, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            response = read_raw_response(extra, 5)
        except (ConnectionResetError, AssertionError):
            response = None
        if response is not None:
            self.assertEqual(response[0], 503, response)
        # The held ones still serve.
        held[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(read_raw_response(held[0], 5)[0], 200)
        for sock in held:
            sock.close()
        self.assertTrue(poll(lambda: self.daemon.request("GET", "/healthz", timeout=5)[0] == 200, 5))


class PerAddressCapWithIdleConnections(DaemonCase):
    """A daemon of its own: idle connections left by another test would
    make room in the test above."""
    daemon_args = ("--set", "http.max_connections_per_address=4")

    def test_at_the_cap_the_address_gives_up_its_longest_idle_connection(self):
        idle = self.open_idle_sockets(4)
        extra, = self.open_sockets(1, timeout=5)
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(read_raw_response(extra, 5)[0], 200)
        self.assertTrue(closed_by_server(idle[0], 2.0), "the longest-idle connection was not the one closed")
        for sock in idle + [extra]:
            sock.close()


class ConnectionLimit(DaemonCase):
    daemon_args = ("--set", "http.max_connections=16")

    def test_at_the_limit_the_longest_idle_keep_alive_connection_makes_room(self):
        idle = self.open_idle_sockets(16)
        self.assertLess(self.timed_healthz(timeout=5), 2.0)
        self.assertTrue(closed_by_server(idle[0], 2.0), "the longest-idle connection was not the one closed")


class ConnectionLimitWithoutIdleConnections(DaemonCase):
    """A daemon of its own: the idle connections the test above leaves,
    still being reaped when this one starts, would make room for it."""
    daemon_args = ("--set", "http.max_connections=16")

    def test_at_the_limit_without_idle_connections_a_new_one_gets_503(self):
        busy = self.open_sockets(16)
        for sock in busy:
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")  # a head on its way: not idle
        time.sleep(0.3)
        extra, = self.open_sockets(1, timeout=5)
        try:
            response = read_raw_response(extra, 5)
        except (ConnectionResetError, AssertionError):
            response = None
        if response is not None:
            self.assertEqual(response[0], 503, response)
        for sock in busy:
            sock.close()
        self.assertTrue(poll(lambda: self.daemon.request("GET", "/healthz", timeout=5)[0] == 200, 5))


# ---- 9: made-up methods ------------------------------------------------------

class MadeUpMethods(DaemonCase):
    def metrics_lines(self):
        status, _, body = self.daemon.request("GET", "/metrics")
        self.assertEqual(status, 200)
        return body.decode().splitlines()

    def test_made_up_methods_get_501_and_share_one_label(self):
        status, headers, body = self.daemon.request("FOOBAR", "/healthz")
        assert_problem(self, status, headers, body, 501)
        self.daemon.request("FOOBAR", "/nope")
        self.metrics_lines()
        before = self.metrics_lines()
        statuses = set()
        for i in range(150):
            method = "M" + uuid.uuid4().hex[:12].upper().replace("0", "Q").replace("1", "Z")
            method = "".join(c if c.isalpha() else "X" for c in method)
            path = "/healthz" if i % 2 else f"/nope/{i}"
            statuses.add(self.daemon.request(method, path)[0])
        self.assertEqual(statuses, {501})
        after = self.metrics_lines()
        self.assertEqual(len(after), len(before), "made-up methods grew /metrics")
        self.assertTrue(any('method="other",status="501"' in line for line in after), after)
        self.assertFalse(any("method=\"M" in line for line in after))

    def test_known_methods_keep_their_answers(self):
        self.assertEqual(self.daemon.request("DELETE", "/healthz")[0], 405)
        self.assertEqual(self.daemon.request("HEAD", "/healthz")[0], 405)


# ---- 16: trusted proxies -------------------------------------------------------

FORWARDED = {"X-Forwarded-For": "203.0.113.9"}


class ForwardedHeadersFromAnyone(DaemonCase):
    """http.trusted_proxies unset: X-Forwarded-For changes nothing."""

    def test_forwarded_for_from_an_untrusted_peer_is_ignored(self):
        status, _, body = self.daemon.request("GET", "/metrics", headers=FORWARDED)
        self.assertEqual(status, 200, body)

    def test_login_throttle_ignores_forwarded_for_from_an_untrusted_peer(self):
        for i in range(5):
            status, _, _ = api(self.daemon, "POST", "/api/v1/auth/login",
                               body={"email": f"nobody{i}.{unique_letters()}@example.org", "password": "wrong"},
                               headers={"X-Forwarded-For": f"198.51.100.{i + 1}"})
            self.assertEqual(status, 401)
        # Every attempt came from 127.0.0.1, whatever the header said.
        status, headers, _ = api(self.daemon, "POST", "/api/v1/auth/login",
                                 body={"email": f"fresh.{unique_letters()}@example.org", "password": "wrong"},
                                 headers={"X-Forwarded-For": "198.51.100.77"})
        self.assertEqual(status, 429)


class BehindATrustedProxy(DaemonCase):
    daemon_args = ("--set", "http.trusted_proxies=127.0.0.1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        email = f"admin.{unique_letters()}@example.org"
        admin_create(cls.daemon, email, PASSWORD)
        cls.admin = login(cls.daemon, email, headers={"X-Forwarded-For": "192.0.2.200"})
        coordinator_email, _ = create_user(cls.daemon, cls.admin, "coordinator")
        cls.coordinator = login(cls.daemon, coordinator_email, headers={"X-Forwarded-For": "192.0.2.201"})

    def test_metrics_from_a_forwarded_client_needs_an_admin(self):
        status, headers, body = self.daemon.request("GET", "/metrics", headers=FORWARDED)
        assert_problem(self, status, headers, body, 401)
        status, _, body = self.daemon.request("GET", "/metrics",
                                              headers=dict(FORWARDED, Authorization=f"Bearer {self.admin}"))
        self.assertEqual(status, 200, body)
        self.assertIn(b"parcours_http_requests_total", body)
        status, headers, body = self.daemon.request("GET", "/metrics",
                                                    headers=dict(FORWARDED,
                                                                 Authorization=f"Bearer {self.coordinator}"))
        assert_problem(self, status, headers, body, 403)

    def test_metrics_from_the_proxy_itself_or_a_forwarded_loopback_client(self):
        self.assertEqual(self.daemon.request("GET", "/metrics")[0], 200)
        self.assertEqual(self.daemon.request("GET", "/metrics", headers={"X-Forwarded-For": "127.0.0.1"})[0], 200)
        # The rightmost untrusted hop is the client: a spoofed loopback on the left does not count.
        status = self.daemon.request("GET", "/metrics", headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.9"})[0]
        self.assertEqual(status, 401)

    def test_login_throttle_keys_by_the_forwarded_address(self):
        a = {"X-Forwarded-For": "198.51.100.10"}
        b = {"X-Forwarded-For": "198.51.100.11"}

        def attempt(headers):
            return api(self.daemon, "POST", "/api/v1/auth/login",
                       body={"email": f"nobody.{unique_letters()}@example.org", "password": "wrong"},
                       headers=headers)[0]

        self.assertEqual([attempt(a) for _ in range(5)], [401] * 5)
        self.assertEqual(attempt(a), 429, "five failures from A lock A")
        self.assertEqual(attempt(b), 401, "B is another client")


# ---- 17: the daemon's own request id in the audit log ---------------------------

class AuditRequestIds(DaemonCase):
    def test_audit_records_the_daemons_id_and_the_clients_beside_it(self):
        email = f"admin.{unique_letters()}@example.org"
        admin_create(self.daemon, email, PASSWORD)
        admin = login(self.daemon, email)
        client_id = f"client-{uuid.uuid4().hex[:12]}"
        body = {"email": f"coordinator.{unique_letters()}@example.org", "display_name": "Coordinator Test",
                "role": "coordinator", "password": PASSWORD}
        status, headers, user = api(self.daemon, "POST", "/api/v1/users", token=admin, body=body,
                                    headers={"X-Request-Id": client_id})
        self.assertEqual(status, 201, user)
        own_id = headers["x-request-id"]
        self.assertNotEqual(own_id, client_id)
        self.assertEqual(headers.get("x-client-request-id"), client_id)
        status, _, page = api(self.daemon, "GET", f"/api/v1/audit?subject=user:{user['id']}", token=admin)
        self.assertEqual(status, 200, page)
        created = [item for item in page["items"] if item["action"] == "user.create"]
        self.assertEqual(len(created), 1, page)
        self.assertEqual(created[0]["request_id"], own_id)
        self.assertNotEqual(created[0]["request_id"], client_id)
        self.assertEqual(created[0]["client_request_id"], client_id)
        # The daemon's log names its own id for that request.
        self.assertTrue(self.daemon.wait_for_log(f"rid={own_id}"), self.daemon.log_text()[-2000:])

    def test_without_a_client_id_the_column_is_null(self):
        email = f"admin.{unique_letters()}@example.org"
        admin_create(self.daemon, email, PASSWORD)
        admin = login(self.daemon, email)
        status, headers, token = api(self.daemon, "GET", "/api/v1/users/me", token=admin,
                                     headers={"X-Request-Id": "bad id with spaces"})
        self.assertEqual(status, 200)
        self.assertNotIn("x-client-request-id", headers)
        me = token
        status, _, page = api(self.daemon, "GET", f"/api/v1/audit?subject=user:{me['id']}", token=admin)
        self.assertEqual(status, 200, page)
        self.assertTrue(page["items"], page)
        self.assertTrue(all(item["client_request_id"] is None for item in page["items"]), page)


if __name__ == "__main__":
    unittest.main()
