"""Accounts that can be closed, on two daemons sharing one database (SQLite
and a private MariaDB): only the user mints their own API tokens; disable /
enable; token listing and revocation; password change, reset by an admin, and
the forced change of any password someone else set; and parallel wrong
sign-ins that must not pass the lockout.

Daemon A remembers tokens for a long time (60 s): a revocation made through
A must take effect on A at once, which only forgetting the token does. Daemon
B remembers them for CACHE_SECONDS: a revocation made through A reaches B
within that time.

Standard library only; loopback only; every process is stopped by its own PID."""

import concurrent.futures
import json
import threading
import time
import unittest

from harness import Daemon, private_mariadb, assert_problem
from people_fixtures import (INITIAL_PASSWORD, PASSWORD, admin_create, api, change_own_password, create_user,
                             key_file_args, login, unique_letters)

CACHE_SECONDS = 2
FORCED = "/problems/password-change-required"
THROTTLE_LIMIT = 5
# Test-only loopback addresses, so that each throttling test is a client of its own.
CLIENTS = iter(f"127.0.0.{n}" for n in range(60, 250))


class AccountScenarios:
    """The scenarios; a subclass says which database (start_database)."""

    @classmethod
    def start_database(cls):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        url = cls.start_database()
        cls.a = Daemon("--set", "security.token_cache_seconds=60",
                       "--set", f"security.login_max_failures={THROTTLE_LIMIT}", database=url).start()
        cls.addClassCleanup(cls.a.stop)
        cls.b = Daemon(*key_file_args(cls.a), "--set", f"security.token_cache_seconds={CACHE_SECONDS}",
                       database=cls.a.database).start()
        cls.addClassCleanup(cls.b.stop)
        cls.admin_email = f"admin.{unique_letters()}@example.org"
        admin_create(cls.a, cls.admin_email, PASSWORD)
        cls.admin = login(cls.a, cls.admin_email)

    # ---- helpers -------------------------------------------------------

    def user(self, role="coordinator"):
        """A new user whose password is PASSWORD → (email, id)."""
        email, user = create_user(self.a, self.admin, role)
        return email, user["id"]

    def works(self, daemon, token):
        status, _, body = api(daemon, "GET", "/api/v1/users/me", token=token)
        self.assertIn(status, (200, 401), body)
        return status == 200

    def assert_refused_at_once(self, token):
        status, headers, body = api(self.a, "GET", "/api/v1/users/me", token=token)
        assert_problem(self, status, headers, json.dumps(body), 401)

    def assert_refused_within_cache(self, token):
        """On B, the token stops working within CACHE_SECONDS (plus a margin for a slow machine)."""
        start = time.monotonic()
        while self.works(self.b, token):
            elapsed = time.monotonic() - start
            self.assertLess(elapsed, CACHE_SECONDS + 3, "still accepted on the other daemon")
            time.sleep(0.1)
        return time.monotonic() - start

    def audit_actions(self, user_id):
        status, _, page = api(self.a, "GET", f"/api/v1/audit?subject=user:{user_id}&limit=500", token=self.admin)
        self.assertEqual(status, 200, page)
        return [(item["action"], item["actor"]) for item in page["items"]]

    def assert_forced(self, answer, what):
        status, headers, body = answer
        problem = assert_problem(self, status, headers, json.dumps(body) if isinstance(body, dict) else body, 403)
        self.assertEqual(problem["type"], FORCED, what)

    # ---- point 5: only the user mints their own tokens -----------------

    def test_only_the_user_mints_their_own_api_token(self):
        email, uid = self.user("finance")
        token = login(self.a, email)
        status, headers, body = api(self.a, "POST", f"/api/v1/users/{uid}/tokens", token=self.admin)
        assert_problem(self, status, headers, json.dumps(body), 403)
        _, other = self.user("researcher")
        status, headers, body = api(self.a, "POST", f"/api/v1/users/{other}/tokens", token=token)
        assert_problem(self, status, headers, json.dumps(body), 403)
        status, _, minted = api(self.a, "POST", f"/api/v1/users/{uid}/tokens", token=token)
        self.assertEqual(status, 201, minted)
        status, _, me = api(self.b, "GET", "/api/v1/users/me", token=minted["token"])
        self.assertEqual((status, me["id"]), (200, uid), me)
        _, _, admin_me = api(self.a, "GET", "/api/v1/users/me", token=self.admin)
        status, _, own = api(self.a, "POST", f"/api/v1/users/{admin_me['id']}/tokens", token=self.admin)
        self.assertEqual(status, 201, own)

    # ---- point 6: disable, revoke, list ---------------------------------

    def test_disable_stops_every_token_at_once_here_and_within_the_cache_there(self):
        email, uid = self.user()
        session = login(self.a, email)
        status, _, minted = api(self.a, "POST", f"/api/v1/users/{uid}/tokens", token=session)
        self.assertEqual(status, 201, minted)
        api_token = minted["token"]
        for daemon in (self.a, self.b):  # both daemons now hold both tokens in their caches
            for token in (session, api_token):
                self.assertTrue(self.works(daemon, token))
        status, _, user = api(self.a, "POST", f"/api/v1/users/{uid}/disable", token=self.admin)
        self.assertEqual((status, user["disabled"]), (200, True), user)
        for token in (session, api_token):
            self.assert_refused_at_once(token)
        waited = [self.assert_refused_within_cache(token) for token in (session, api_token)]
        print(f"\n    disabled: refused on the other daemon after {max(waited):.2f} s "
              f"(cache {CACHE_SECONDS} s)", end="")

        # A disabled user cannot sign in, and cannot tell why (no enumeration).
        client = next(CLIENTS)
        disabled = api(self.a, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD},
                       source_address=client)
        unknown = api(self.a, "POST", "/api/v1/auth/login",
                      body={"email": f"nobody.{unique_letters()}@example.org", "password": PASSWORD},
                      source_address=client)
        for status, headers, body in (disabled, unknown):
            assert_problem(self, status, headers, json.dumps(body), 401)
        self.assertEqual(disabled[2], unknown[2])
        status, _, page = api(self.a, "GET", f"/api/v1/users/{uid}/tokens", token=self.admin)
        self.assertEqual((status, page["items"]), (200, []), page)

        status, _, user = api(self.b, "POST", f"/api/v1/users/{uid}/enable", token=self.admin)
        self.assertEqual((status, user["disabled"]), (200, False), user)
        again = login(self.b, email)
        self.assertTrue(self.works(self.a, again))
        for token in (session, api_token):  # enabling brings no old token back
            self.assertFalse(self.works(self.a, token))
            self.assertFalse(self.works(self.b, token))
        actions = self.audit_actions(uid)
        _, _, admin_me = api(self.a, "GET", "/api/v1/users/me", token=self.admin)
        self.assertIn(("user.disable", admin_me["id"]), actions)
        self.assertIn(("user.enable", admin_me["id"]), actions)

    def test_an_admin_cannot_disable_themself_and_unknown_users_are_404(self):
        _, _, me = api(self.a, "GET", "/api/v1/users/me", token=self.admin)
        status, headers, body = api(self.a, "POST", f"/api/v1/users/{me['id']}/disable", token=self.admin)
        assert_problem(self, status, headers, json.dumps(body), 422)
        self.assertTrue(self.works(self.a, self.admin))
        for path in ("/api/v1/users/999999/disable", "/api/v1/users/999999/enable",
                     "/api/v1/users/999999/password-reset", "/api/v1/users/999999/tokens",
                     "/api/v1/users/abc/disable"):
            method = "GET" if path.endswith("tokens") else "POST"
            status, headers, body = api(self.a, method, path, token=self.admin)
            assert_problem(self, status, headers, json.dumps(body), 404)

    def test_tokens_are_listed_without_secrets_and_revoked_one_by_one(self):
        email, uid = self.user()
        first, second = login(self.a, email), login(self.b, email)
        status, _, minted = api(self.a, "POST", f"/api/v1/users/{uid}/tokens", token=first)
        self.assertEqual(status, 201, minted)
        api_token = minted["token"]
        for token in (first, second, api_token):
            self.assertTrue(self.works(self.b, token))
        status, _, page = api(self.a, "GET", f"/api/v1/users/{uid}/tokens", token=first)
        self.assertEqual(status, 200, page)
        self.assertIsNone(page["next_cursor"])
        # The first session is the one in which the user changed the admin's password.
        self.assertEqual([item["kind"] for item in page["items"]], ["session", "session", "session", "api"], page)
        items = page["items"][1:]
        for item in page["items"]:
            self.assertEqual(set(item), {"id", "kind", "created_at", "last_used_at", "expires_at"}, item)
        self.assertIsNone(items[2]["expires_at"])
        self.assertIsNotNone(items[0]["expires_at"])
        text = json.dumps(page)
        for secret in (first, second, api_token):
            self.assertNotIn(secret, text)
            self.assertNotIn(secret[4:], text)
        # The admin sees the same list; someone else (not admin) gets 403.
        status, _, as_admin = api(self.a, "GET", f"/api/v1/users/{uid}/tokens", token=self.admin)
        self.assertEqual((status, as_admin["items"][1:]), (200, items))
        other_email, other_uid = self.user()
        other = login(self.a, other_email)
        for method, path in (("GET", f"/api/v1/users/{uid}/tokens"),
                             ("DELETE", f"/api/v1/users/{uid}/tokens/{items[2]['id']}")):
            status, headers, body = api(self.a, method, path, token=other)
            assert_problem(self, status, headers, json.dumps(body), 403)
        # A token id of someone else under one's own user id: 404, nothing revoked.
        status, headers, body = api(self.a, "DELETE", f"/api/v1/users/{other_uid}/tokens/{items[2]['id']}",
                                    token=other)
        assert_problem(self, status, headers, json.dumps(body), 404)
        self.assertTrue(self.works(self.a, api_token))

        # The user revokes their API token through A: gone at once on A, within the cache on B.
        status, _, body = api(self.a, "DELETE", f"/api/v1/users/{uid}/tokens/{items[2]['id']}", token=first)
        self.assertEqual((status, body), (200, {"status": "revoked"}))
        self.assert_refused_at_once(api_token)
        waited = self.assert_refused_within_cache(api_token)
        print(f"\n    revoked: refused on the other daemon after {waited:.2f} s", end="")
        status, headers, body = api(self.a, "DELETE", f"/api/v1/users/{uid}/tokens/{items[2]['id']}", token=first)
        assert_problem(self, status, headers, json.dumps(body), 404)
        # The admin revokes one session; the other still works.
        status, _, body = api(self.a, "DELETE", f"/api/v1/users/{uid}/tokens/{items[1]['id']}", token=self.admin)
        self.assertEqual(status, 200, body)
        self.assert_refused_at_once(second)
        self.assertTrue(self.works(self.a, first))
        status, _, page = api(self.b, "GET", f"/api/v1/users/{uid}/tokens", token=first)
        self.assertEqual([item["id"] for item in page["items"]][1:], [items[0]["id"]])
        self.assertIn(("token.revoke", uid), self.audit_actions(uid))

    def test_last_used_at_is_stamped_but_not_on_every_request(self):
        email, uid = self.user()
        token = login(self.a, email)
        status, _, page = api(self.a, "GET", f"/api/v1/users/{uid}/tokens", token=token)
        self.assertEqual(status, 200, page)
        stamped = page["items"][0]["last_used_at"]
        self.assertIsNotNone(stamped, page)
        for daemon in (self.a, self.b) * 10:
            self.assertTrue(self.works(daemon, token))
        time.sleep(CACHE_SECONDS + 0.5)  # B reads the token again: still within the minute, no new stamp
        self.assertTrue(self.works(self.b, token))
        status, _, page = api(self.a, "GET", f"/api/v1/users/{uid}/tokens", token=self.admin)
        self.assertEqual(page["items"][0]["last_used_at"], stamped, "at most once a minute")

    # ---- point 6: passwords ---------------------------------------------

    def test_password_reset_revokes_everything_and_forces_a_change(self):
        email, uid = self.user("finance")
        session = login(self.a, email)
        status, _, minted = api(self.a, "POST", f"/api/v1/users/{uid}/tokens", token=session)
        self.assertEqual(status, 201, minted)
        for token in (session, minted["token"]):
            self.assertTrue(self.works(self.b, token))
        status, _, reset = api(self.a, "POST", f"/api/v1/users/{uid}/password-reset", token=self.admin)
        self.assertEqual(status, 200, reset)
        one_time = reset["one_time_password"]
        self.assertGreaterEqual(len(one_time), 12)
        for token in (session, minted["token"]):
            self.assert_refused_at_once(token)
            self.assert_refused_within_cache(token)
        client = next(CLIENTS)
        status, headers, body = api(self.a, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD},
                                    source_address=client)
        assert_problem(self, status, headers, json.dumps(body), 401)
        _, _, admin_me = api(self.a, "GET", "/api/v1/users/me", token=self.admin)
        self.assertIn(("user.password_reset", admin_me["id"]), self.audit_actions(uid))
        self.assert_forced_change_flow(email, uid, one_time)

    def assert_forced_change_flow(self, email, uid, given):
        """Signs in with a password someone else set: everything but /users/me,
        the password change and logout is 403 until it is changed."""
        status, _, signed_in = api(self.b, "POST", "/api/v1/auth/login", body={"email": email, "password": given})
        self.assertEqual(status, 200, signed_in)
        self.assertIs(signed_in["password_change_required"], True, signed_in)
        token = signed_in["token"]
        status, _, me = api(self.a, "GET", "/api/v1/users/me", token=token)
        self.assertEqual((status, me["password_change_required"]), (200, True), me)
        for daemon in (self.a, self.b):
            for method, path in (("GET", "/api/v1/practitioners"), ("GET", "/api/v1/payments"),
                                 ("POST", f"/api/v1/users/{uid}/tokens"), ("GET", f"/api/v1/users/{uid}/tokens"),
                                 ("GET", "/api/v1/audit"), ("GET", "/api/v1/participants")):
                self.assert_forced(api(daemon, method, path, token=token), f"{method} {path}")
        # The change itself: the right current password, 12+ characters, not the same.
        for body, field in (({"current_password": "not it at all, no", "new_password": "a long new passphrase"},
                             "current_password"),
                            ({"current_password": given, "new_password": "too short"}, "new_password"),
                            ({"current_password": given, "new_password": given}, "new_password")):
            status, headers, answer = api(self.a, "POST", "/api/v1/users/me/password", token=token, body=body)
            problem = assert_problem(self, status, headers, json.dumps(answer), 422)
            self.assertEqual([e["field"] for e in problem["errors"]], [field], problem)
        self.assert_forced(api(self.a, "GET", "/api/v1/practitioners", token=token), "still forced")
        status, _, body = api(self.b, "POST", "/api/v1/users/me/password", token=token,
                              body={"current_password": given, "new_password": PASSWORD})
        self.assertEqual(status, 200, body)
        status, _, page = api(self.b, "GET", "/api/v1/practitioners", token=token)
        self.assertEqual(status, 200, page)
        status, _, me = api(self.b, "GET", "/api/v1/users/me", token=token)
        self.assertIs(me["password_change_required"], False, me)
        status, _, signed_in = api(self.a, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD})
        self.assertEqual((status, signed_in["password_change_required"]), (200, False), signed_in)
        status, _, answer = api(self.a, "POST", "/api/v1/auth/login", body={"email": email, "password": given},
                                source_address=next(CLIENTS))
        self.assertEqual(status, 401, answer)

    def test_users_made_by_an_admin_must_change_their_password_first(self):
        for given in (None, INITIAL_PASSWORD):
            with self.subTest(password_given=given is not None):
                email = f"made.{unique_letters()}@example.org"
                body = {"email": email, "display_name": "Made By Admin", "role": "finance"}
                if given:
                    body["password"] = given
                status, _, user = api(self.a, "POST", "/api/v1/users", token=self.admin, body=body)
                self.assertEqual(status, 201, user)
                self.assertIs(user["password_change_required"], True, user)
                self.assert_forced_change_flow(email, user["id"], given or user["one_time_password"])
        # Logout works while forced.
        email, user = f"made.{unique_letters()}@example.org", None
        status, _, user = api(self.a, "POST", "/api/v1/users", token=self.admin,
                              body={"email": email, "display_name": "Leaves", "role": "finance"})
        token = login(self.a, email, user["one_time_password"])
        status, _, body = api(self.a, "POST", "/api/v1/auth/logout", token=token)
        self.assertEqual(status, 200, body)

    def test_admin_create_on_the_command_line(self):
        """With --password the operator chose it (scripts/run's demo admin signs in
        and works at once); a printed one-time password must be changed."""
        chosen = f"chosen.{unique_letters()}@example.org"
        admin_create(self.a, chosen, PASSWORD)
        status, _, signed_in = api(self.a, "POST", "/api/v1/auth/login", body={"email": chosen, "password": PASSWORD})
        self.assertEqual((status, signed_in["password_change_required"]), (200, False), signed_in)
        status, _, page = api(self.a, "GET", "/api/v1/audit?limit=1", token=signed_in["token"])
        self.assertEqual(status, 200, page)
        printed = f"printed.{unique_letters()}@example.org"
        one_time = admin_create(self.a, printed)
        status, _, signed_in = api(self.a, "POST", "/api/v1/auth/login", body={"email": printed, "password": one_time})
        self.assertEqual((status, signed_in["password_change_required"]), (200, True), signed_in)
        self.assert_forced(api(self.a, "GET", "/api/v1/audit", token=signed_in["token"]), "one-time admin")

    def test_password_change_keeps_this_session_and_revokes_the_others(self):
        email, uid = self.user()
        here, elsewhere = login(self.a, email), login(self.b, email)
        status, _, minted = api(self.a, "POST", f"/api/v1/users/{uid}/tokens", token=here)
        self.assertEqual(status, 201, minted)
        for token in (here, elsewhere, minted["token"]):
            self.assertTrue(self.works(self.a, token))
        new = "another correct horse battery"
        status, _, body = api(self.a, "POST", "/api/v1/users/me/password", token=here,
                              body={"current_password": PASSWORD, "new_password": new})
        self.assertEqual(status, 200, body)
        self.assertTrue(self.works(self.a, here))
        for token in (elsewhere, minted["token"]):
            self.assert_refused_at_once(token)
            self.assert_refused_within_cache(token)
        login(self.b, email, new)
        self.assertEqual(api(self.a, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD},
                             source_address=next(CLIENTS))[0], 401)
        self.assertIn(("user.password_change", uid), self.audit_actions(uid))

    def test_wrong_current_passwords_are_throttled(self):
        email, _ = self.user()
        token = login(self.a, email)
        statuses = []
        for attempt in range(THROTTLE_LIMIT + 2):
            status, headers, _ = api(self.a, "POST", "/api/v1/users/me/password", token=token,
                                     body={"current_password": f"guess number {attempt}", "new_password": "x" * 20})
            statuses.append(status)
        self.assertEqual(statuses, [422] * THROTTLE_LIMIT + [429, 429])
        self.assertRegex(headers.get("retry-after", ""), r"^\d+$")

    def test_admin_lists_users_without_participant_data(self):
        status, _, page = api(self.a, "GET", "/api/v1/users?role=admin&limit=500", token=self.admin)
        self.assertEqual(status, 200, page)
        self.assertTrue(page["items"])
        self.assertEqual({u["role"] for u in page["items"]}, {"admin"})
        self.assertIn(self.admin_email, {u["email"] for u in page["items"]})
        self.user("finance")
        self.user("finance")
        first = api(self.a, "GET", "/api/v1/users?role=finance&limit=1", token=self.admin)[2]
        self.assertEqual(len(first["items"]), 1)
        second = api(self.a, "GET", f"/api/v1/users?role=finance&limit=1&cursor={first['next_cursor']}",
                     token=self.admin)[2]
        self.assertNotEqual(first["items"][0]["id"], second["items"][0]["id"])
        for query in ("role=superuser", "role=ADMIN", "cursor=abc", "limit=0"):
            status, headers, body = api(self.a, "GET", f"/api/v1/users?{query}", token=self.admin)
            assert_problem(self, status, headers, json.dumps(body), 400)
        coordinator = login(self.a, self.user("coordinator")[0])
        status, _, participant = api(self.a, "POST", "/api/v1/participants", token=coordinator, body={
            "given_name": "Quiet", "family_name": f"Person{unique_letters()}", "birth_date": "1980-01-02",
            "language": "fr", "referral": {"reference": f"R-{unique_letters()}", "referred_on": "2025-06-02"}})
        self.assertEqual(status, 201, participant)
        secret_email = f"secret.{unique_letters()}@example.org"
        status, _, made = api(self.a, "POST", "/api/v1/users", token=self.admin, body={
            "email": secret_email, "display_name": "Secret Name", "role": "participant",
            "participant_id": participant["id"]})
        self.assertEqual(status, 201, made)
        status, _, page = api(self.a, "GET", "/api/v1/users?role=participant&limit=500", token=self.admin)
        listed = [u for u in page["items"] if u["id"] == made["id"]]
        self.assertEqual(len(listed), 1, page)
        self.assertIsNone(listed[0]["email"])
        self.assertIsNone(listed[0]["display_name"])
        self.assertNotIn(secret_email, json.dumps(page))
        self.assertNotIn("Secret Name", json.dumps(page))
        status, headers, body = api(self.a, "GET", "/api/v1/users", token=coordinator)
        assert_problem(self, status, headers, json.dumps(body), 403)

    # ---- point 7: parallel wrong sign-ins --------------------------------

    def test_forty_parallel_wrong_sign_ins_get_at_most_five_401(self):
        email, _ = self.user("researcher")
        client = next(CLIENTS)
        start = threading.Barrier(40)

        def attempt(n):
            start.wait()
            status, _, _ = api(self.a, "POST", "/api/v1/auth/login",
                               body={"email": email, "password": f"wrong password number {n}"}, source_address=client)
            return status

        with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
            statuses = list(pool.map(attempt, range(40)))
        counts = {status: statuses.count(status) for status in set(statuses)}
        print(f"\n    40 parallel wrong sign-ins: {counts}", end="")
        self.assertEqual(set(counts) - {401, 429}, set(), counts)
        self.assertLessEqual(counts.get(401, 0), THROTTLE_LIMIT, counts)
        self.assertGreaterEqual(counts.get(401, 0), 1, counts)
        # Locked now, even with the right password.
        status, _, _ = api(self.a, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD},
                           source_address=next(CLIENTS))
        self.assertEqual(status, 429)


class OnSQLite(AccountScenarios, unittest.TestCase):
    @classmethod
    def start_database(cls):
        return None


class OnMariaDB(AccountScenarios, unittest.TestCase):
    @classmethod
    def start_database(cls):
        return private_mariadb(cls)


if __name__ == "__main__":
    unittest.main()
