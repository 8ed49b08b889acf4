"""`parcoursd demo seed` (issue 13 point 8), on SQLite and on a private
MariaDB: a new database gets a small fictitious program whose every name is
marked as demo data, and working credentials for a user of every role; a
database that holds anything but administrators is refused and left as it
was.

Standard library only; loopback only; every process is stopped by its own PID."""

import re
import subprocess
import unittest

import harness
from harness import Daemon, MariaDB
from scheduling_fixtures import admin_create, call, expect, login, PASSWORD

ROLES = ("coordinator", "finance", "researcher", "practitioner", "participant")


def seed(daemon):
    """parcoursd demo seed on the daemon's database, in its folder (its keys) → (exit code, stdout, stderr)."""
    done = subprocess.run([harness.binary(), "demo", "seed", "--database", daemon.database], cwd=daemon.dir,
                          capture_output=True, timeout=300, stdin=subprocess.DEVNULL)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


class DemoSeed:

    def fresh_daemon(self):
        daemon = Daemon(database=self.database_url())
        self.addCleanup(daemon.close)
        # The seed runs before the daemon serves, as scripts/run does it.
        return daemon

    def test_a_new_database_gets_a_demo_program_and_users_of_every_role(self):
        daemon = self.fresh_daemon()
        admin_create(daemon, "admin@example.org", PASSWORD)
        code, out, err = seed(daemon)
        self.assertEqual(code, 0, err)
        credentials = re.findall(r"^  (\w+): (\S+@demo\.parcours\.local)  (\S+)$", out, re.M)
        self.assertEqual({role for role, _, _ in credentials}, set(ROLES), out)
        daemon.start()
        tokens = {}
        for role, email, password in credentials:
            tokens.setdefault(role, login(daemon, email, password))
        people = expect(200, call(daemon, "GET", "/api/v1/participants?limit=500", token=tokens["coordinator"]),
                        "participants")["items"]
        self.assertGreaterEqual(len(people), 8)
        self.assertTrue(all("Démo" in p["given_name"] for p in people), "every name says demo")
        statuses = {p["status"] for p in people}
        for status in ("referred", "ineligible", "eligible", "enrolled", "in_therapy", "withdrawn"):
            self.assertIn(status, statuses)
        lines = expect(200, call(daemon, "GET", "/api/v1/bank-lines", token=tokens["finance"]), "lines")["items"]
        self.assertEqual({l["status"] for l in lines} >= {"matched", "proposed", "unmatched"}, True, lines)
        sessions = expect(200, call(daemon, "GET", "/api/v1/sessions?limit=500", token=tokens["practitioner"]),
                          "sessions")["items"]
        self.assertTrue(sessions, "a practitioner sees their week")
        me = expect(200, call(daemon, "GET", "/api/v1/users/me", token=tokens["participant"]), "me")
        self.assertEqual(me["role"], "participant")

    def test_a_database_with_data_is_refused_and_left_alone(self):
        daemon = self.fresh_daemon()
        admin_create(daemon, "admin@example.org", PASSWORD)
        self.assertEqual(seed(daemon)[0], 0)
        code, out, err = seed(daemon)
        self.assertEqual(code, 1, out)
        self.assertIn("only into a new database", err)
        daemon.start()
        admin = login(daemon, "admin@example.org")
        users = expect(200, call(daemon, "GET", "/api/v1/users?limit=500", token=admin), "users")["items"]
        self.assertEqual(len(users), 1 + 6, "the admin and the six demo users: seeded once")


class SQLiteDemoSeed(DemoSeed, unittest.TestCase):
    def database_url(self):
        return None


class MariaDBDemoSeed(DemoSeed, unittest.TestCase):
    def database_url(self):
        # A new server per test: the seed wants a new database.
        server = MariaDB()
        self.addCleanup(server.close)
        return server.start().url


if __name__ == "__main__":
    unittest.main()
