"""Readiness follows a private MariaDB going away and coming back, without
restarting the daemon; a daemon whose database never answers gives up."""

import json
import subprocess
import time
import unittest

from harness import Daemon, MariaDB, assert_problem, binary, poll

SECRET = ":parcours@"  # user and password of the private server are both "parcours"


def status_of(daemon, path, timeout=5):
    return daemon.request("GET", path, timeout=timeout)[0]


class ReadinessFollowsTheDatabase(unittest.TestCase):
    def test_readyz_503_while_mariadb_is_down_then_200_again(self):
        mariadb = MariaDB()
        self.addCleanup(mariadb.close)
        mariadb.start()
        daemon = Daemon(database=mariadb.url)
        self.addCleanup(daemon.close)
        daemon.start()

        status, headers, body = daemon.request("GET", "/readyz")
        self.assertEqual(status, 200, body)
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)

        mariadb.stop()
        self.assertTrue(poll(lambda: status_of(daemon, "/readyz") == 503, 10),
                        f"/readyz did not turn 503 within 10 s of MariaDB stopping:\n{daemon.log_text()}")
        status, headers, body = daemon.request("GET", "/readyz", timeout=10)
        problem = assert_problem(self, status, headers, body, 503)
        self.assertNotIn(SECRET, json.dumps(problem))
        status, _, body = daemon.request("GET", "/healthz")
        self.assertEqual(status, 200, "/healthz answers while the database is down")
        self.assertEqual(json.loads(body), {"status": "ok"})
        self.assertIsNone(daemon.process.poll(), "parcoursd exited when its database went away")

        mariadb.start()
        self.assertEqual(mariadb.url, mariadb.previous_url, "MariaDB restarted on another URL")
        self.assertTrue(poll(lambda: status_of(daemon, "/readyz") == 200, 30),
                        f"/readyz did not come back to 200 within 30 s of MariaDB starting:\n{daemon.log_text()}")
        status, headers, body = daemon.request("GET", "/metrics")
        self.assertEqual(status, 200, body)
        self.assertIn("parcours_db_pool_connections", body.decode())
        self.assertIn('parcours_http_requests_total{route="/readyz",method="GET",status="503"}', body.decode())
        self.assertEqual(daemon.stop(), 0, daemon.log_text())
        self.assertNotIn(SECRET, daemon.log_text())
        self.assertNotIn(SECRET, "\n".join(daemon.stdout_lines))


class DatabaseDownAtStart(unittest.TestCase):
    def test_daemon_gives_up_after_startup_wait(self):
        mariadb = MariaDB()
        self.addCleanup(mariadb.close)
        mariadb.start()
        url = mariadb.url
        mariadb.stop()  # a real server's URL with nothing listening on its port
        started = time.monotonic()
        process = subprocess.Popen([binary(), "--listen", "127.0.0.1:0", "--database", url,
                                    "--set", "database.startup_wait_seconds=2"],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            self.fail("parcoursd still waiting for its database 15 s after start (startup_wait_seconds=2)")
        elapsed = time.monotonic() - started
        out, err = out.decode(errors="replace"), err.decode(errors="replace")
        self.assertEqual(process.returncode, 1, f"stdout: {out}\nstderr: {err}")
        self.assertLess(elapsed, 10, "gave up too late")
        self.assertGreaterEqual(elapsed, 1.5, "did not wait for the database before giving up")
        self.assertRegex(err.lower(), r"database[^\n]*unavailable|unavailable[^\n]*database", err)
        self.assertNotIn("listening on", out)
        self.assertNotIn(SECRET, out + err)
        self.assertNotIn("Traceback", err)
        self.assertNotIn("terminate called", err)


if __name__ == "__main__":
    unittest.main()
