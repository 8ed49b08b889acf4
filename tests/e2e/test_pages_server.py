"""The server side of the pages, on SQLite and on a private MariaDB: the
cookie session (POST / GET / DELETE /api/v1/auth/session) with its attributes and
the login throttle, the CSRF rule for writes made with the cookie, bearer
tokens unchanged, the forced password change, the page shell and its files
(Content-Type, ETag / 304, Content-Security-Policy, no path traversal), and
reports as CSV with ?format=csv.

Standard library only; loopback only; every process is stopped by its own PID."""

import json
import socket
import unittest

from harness import Daemon, assert_problem, private_mariadb, read_raw_response
from people_fixtures import INITIAL_PASSWORD, PASSWORD, admin_create, api, create_user, login, unique_letters

THROTTLE_LIMIT = 3
CSRF = "/problems/csrf"
FORCED = "/problems/password-change-required"
PAGES = ("/", "/week", "/participants", "/participants/42", "/finance", "/finance/bank-lines", "/finance/reports",
         "/me", "/admin")
# Test-only loopback addresses, so that each throttling test is a client of its own.
CLIENTS = iter(f"127.0.0.{n}" for n in range(20, 250))


def cookie_attributes(set_cookie):
    """'name=value; A; B=c' → (name, value, {attribute lower-cased: value})."""
    parts = [part.strip() for part in set_cookie.split(";")]
    name, _, value = parts[0].partition("=")
    attributes = {}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        attributes[key.lower()] = val
    return name, value, attributes


class PageScenarios:
    """The scenarios; a subclass says which database (start_database)."""

    @classmethod
    def start_database(cls):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        url = cls.start_database()
        cls.daemon = Daemon("--set", f"security.login_max_failures={THROTTLE_LIMIT}",
                            "--set", "http.trusted_proxies=127.0.0.1", database=url).start()
        cls.addClassCleanup(cls.daemon.stop)
        cls.admin_email = f"admin.{unique_letters()}@example.org"
        admin_create(cls.daemon, cls.admin_email, PASSWORD)
        cls.admin = login(cls.daemon, cls.admin_email)

    # ---- helpers -------------------------------------------------------

    def sign_in(self, email, password=PASSWORD, headers=None, source_address=None):
        """POST /api/v1/auth/session → (status, headers, body)."""
        return api(self.daemon, "POST", "/api/v1/auth/session", body={"email": email, "password": password},
                   headers=headers, source_address=source_address or next(CLIENTS))

    def page_session(self, role="coordinator"):
        """A new user of `role` signed in with the cookie → (email, cookie header value, csrf token)."""
        email, _ = create_user(self.daemon, self.admin, role)
        status, headers, body = self.sign_in(email)
        self.assertEqual(status, 200, body)
        name, value, _ = cookie_attributes(headers["set-cookie"])
        return email, f"{name}={value}", body["csrf_token"]

    def with_cookie(self, method, path, cookie, csrf=None, body=None, token=None):
        headers = {"Cookie": cookie}
        if csrf is not None:
            headers["X-CSRF-Token"] = csrf
        return api(self.daemon, method, path, body=body, headers=headers, token=token)

    def new_user_body(self):
        return {"email": f"made.{unique_letters()}@example.org", "display_name": "Made By Cookie",
                "role": "finance", "password": INITIAL_PASSWORD}

    def user_exists(self, email):
        status, _, page = api(self.daemon, "GET", "/api/v1/users?role=finance&limit=500", token=self.admin)
        self.assertEqual(status, 200, page)
        return any(user["email"] == email for user in page["items"])

    # ---- the cookie session --------------------------------------------

    def test_sign_in_sets_a_strict_http_only_cookie_and_answers_the_csrf_token(self):
        email, user = create_user(self.daemon, self.admin, "researcher")
        status, headers, body = self.sign_in(email)
        self.assertEqual(status, 200, body)
        self.assertEqual(set(body), {"user", "csrf_token", "expires_at", "password_change_required"})
        self.assertEqual(body["user"]["id"], user["id"])
        self.assertEqual(body["user"]["role"], "researcher")
        self.assertFalse(body["password_change_required"])
        self.assertRegex(body["csrf_token"], r"^[0-9a-f]{64}$")
        name, value, attributes = cookie_attributes(headers["set-cookie"])
        self.assertEqual(name, "parcours_session")
        self.assertTrue(value.startswith("pcs_"), value)
        self.assertIn("httponly", attributes)
        self.assertEqual(attributes.get("samesite"), "Strict")
        self.assertEqual(attributes.get("path"), "/")
        self.assertNotIn("secure", attributes, "plain HTTP from no proxy: no Secure")
        self.assertNotIn("expires", attributes)
        self.assertGreaterEqual(int(attributes["max-age"]), 12 * 3600 - 5, "no shorter than the session")
        self.assertNotIn(value, json.dumps(body), "the secret is only in the cookie")
        status, _, me = self.with_cookie("GET", "/api/v1/users/me", f"{name}={value}")
        self.assertEqual((status, me["id"]), (200, user["id"]))

    def test_the_cookie_is_secure_when_a_trusted_proxy_says_https(self):
        email, _ = create_user(self.daemon, self.admin, "finance")
        status, headers, body = self.sign_in(email, headers={"X-Forwarded-Proto": "https",
                                                             "X-Forwarded-For": "203.0.113.7"},
                                             source_address="127.0.0.1")
        self.assertEqual(status, 200, body)
        _, value, attributes = cookie_attributes(headers["set-cookie"])
        self.assertIn("secure", attributes)
        self.assertIn("httponly", attributes)
        status, headers, _ = api(self.daemon, "DELETE", "/api/v1/auth/session",
                                 headers={"Cookie": f"parcours_session={value}", "X-CSRF-Token": body["csrf_token"],
                                          "X-Forwarded-Proto": "https"}, source_address="127.0.0.1")
        self.assertEqual(status, 200)
        self.assertIn("secure", cookie_attributes(headers["set-cookie"])[2])

    def test_a_page_opened_later_gets_its_sessions_csrf_token(self):
        email, cookie, csrf = self.page_session("finance")
        status, _, body = self.with_cookie("GET", "/api/v1/auth/session", cookie)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["csrf_token"], csrf)
        self.assertEqual(body["user"]["email"], email)
        self.assertFalse(body["password_change_required"])
        status, _, body = api(self.daemon, "GET", "/api/v1/auth/session", token=login(self.daemon, email))
        self.assertEqual((status, body["csrf_token"]), (200, None), "a bearer token has no CSRF token")
        status, _, body = api(self.daemon, "GET", "/api/v1/auth/session")
        self.assertEqual((status, body["user"], body["csrf_token"]), (200, None, None), "nobody signed in")
        status, _, body = api(self.daemon, "GET", "/api/v1/auth/session", token="pcs_not-a-token")
        self.assertEqual((status, body["user"]), (200, None), "a bad token is nobody")

    def test_a_forwarded_https_from_an_untrusted_peer_does_not_make_the_cookie_secure(self):
        email, _ = create_user(self.daemon, self.admin, "finance")
        status, headers, _ = self.sign_in(email, headers={"X-Forwarded-Proto": "https"}, source_address="127.0.0.2")
        self.assertEqual(status, 200)
        self.assertNotIn("secure", cookie_attributes(headers["set-cookie"])[2])

    def test_a_wrong_password_is_the_login_401_and_sets_no_cookie(self):
        email, _ = create_user(self.daemon, self.admin, "coordinator")
        status, headers, body = self.sign_in(email, "not the password")
        assert_problem(self, status, headers, json.dumps(body), 401)
        self.assertNotIn("set-cookie", headers)
        status, headers, body = self.sign_in(f"nobody.{unique_letters()}@example.org")
        assert_problem(self, status, headers, json.dumps(body), 401)

    def test_sign_in_needs_a_json_body(self):
        email, _ = create_user(self.daemon, self.admin, "coordinator")
        status, headers, body = api(self.daemon, "POST", "/api/v1/auth/session",
                                    body=json.dumps({"email": email, "password": PASSWORD}),
                                    headers={"Content-Type": "text/plain"}, source_address=next(CLIENTS))
        assert_problem(self, status, headers, json.dumps(body), 400)
        self.assertNotIn("set-cookie", headers)

    def test_sign_in_shares_the_login_throttle(self):
        email, _ = create_user(self.daemon, self.admin, "coordinator")
        for n in range(THROTTLE_LIMIT - 1):
            status, _, _ = self.sign_in(email, f"wrong {n}")
            self.assertEqual(status, 401)
        # One more failure through the bearer sign-in locks the account for both.
        status, _, _ = api(self.daemon, "POST", "/api/v1/auth/login", body={"email": email, "password": "wrong"},
                           source_address=next(CLIENTS))
        self.assertEqual(status, 401)
        status, headers, body = self.sign_in(email)
        assert_problem(self, status, headers, json.dumps(body), 429)
        self.assertGreaterEqual(int(headers["retry-after"]), 1)
        self.assertNotIn("set-cookie", headers)

    def test_sign_in_from_one_client_is_throttled_per_address_too(self):
        client = next(CLIENTS)
        for n in range(THROTTLE_LIMIT):
            status, _, _ = self.sign_in(f"nobody{n}.{unique_letters()}@example.org", source_address=client)
            self.assertEqual(status, 401)
        email, _ = create_user(self.daemon, self.admin, "coordinator")
        status, _, _ = self.sign_in(email, source_address=client)
        self.assertEqual(status, 429)

    # ---- CSRF ----------------------------------------------------------

    def test_a_cookie_write_without_the_csrf_token_is_refused_and_writes_nothing(self):
        _, cookie, _ = self.page_session("admin")
        made = self.new_user_body()
        status, headers, body = self.with_cookie("POST", "/api/v1/users", cookie, body=made)
        assert_problem(self, status, headers, json.dumps(body), 403)
        self.assertEqual(body["type"], CSRF)
        self.assertFalse(self.user_exists(made["email"]))

    def test_a_cookie_write_with_another_sessions_token_is_refused(self):
        _, cookie, _ = self.page_session("admin")
        _, _, other_csrf = self.page_session("admin")
        made = self.new_user_body()
        for wrong in (other_csrf, "0" * 64, "", "x"):
            status, headers, body = self.with_cookie("POST", "/api/v1/users", cookie, csrf=wrong, body=made)
            self.assertEqual((status, body["type"]), (403, CSRF), wrong)
        self.assertFalse(self.user_exists(made["email"]))

    def test_a_cookie_write_with_its_csrf_token_works(self):
        _, cookie, csrf = self.page_session("admin")
        made = self.new_user_body()
        status, _, body = self.with_cookie("POST", "/api/v1/users", cookie, csrf=csrf, body=made)
        self.assertEqual(status, 201, body)
        self.assertTrue(self.user_exists(made["email"]))

    def test_reads_with_the_cookie_need_no_csrf_token(self):
        _, cookie, _ = self.page_session("coordinator")
        status, _, body = self.with_cookie("GET", "/api/v1/participants", cookie)
        self.assertEqual(status, 200, body)
        status, _, _ = self.daemon.request("HEAD", "/api/v1/users/me", headers={"Cookie": cookie})
        self.assertEqual(status, 405, "HEAD is not routed, but never refused for CSRF")

    def test_a_bearer_token_needs_no_csrf_token_and_ignores_the_cookie(self):
        _, cookie, _ = self.page_session("coordinator")
        made = self.new_user_body()
        status, _, body = self.with_cookie("POST", "/api/v1/users", cookie, body=made, token=self.admin)
        self.assertEqual(status, 201, body)
        # A bad bearer token is not rescued by a good cookie.
        status, _, _ = self.with_cookie("GET", "/api/v1/users/me", cookie, token="pcs_not-a-token")
        self.assertEqual(status, 401)

    # ---- sign-out and the forced password change -------------------------

    def test_sign_out_clears_the_cookie_and_revokes_the_session(self):
        _, cookie, csrf = self.page_session("researcher")
        status, headers, body = self.with_cookie("DELETE", "/api/v1/auth/session", cookie)
        self.assertEqual((status, body["type"]), (403, CSRF), "sign-out is a write too")
        status, headers, body = self.with_cookie("DELETE", "/api/v1/auth/session", cookie, csrf=csrf)
        self.assertEqual(status, 200, body)
        name, value, attributes = cookie_attributes(headers["set-cookie"])
        self.assertEqual((name, value, attributes.get("max-age")), ("parcours_session", "", "0"))
        self.assertIn("httponly", attributes)
        status, headers, body = self.with_cookie("GET", "/api/v1/users/me", cookie)
        assert_problem(self, status, headers, json.dumps(body), 401)
        status, _, _ = self.with_cookie("DELETE", "/api/v1/auth/session", cookie, csrf=csrf)
        self.assertEqual(status, 401)
        status, _, body = self.with_cookie("GET", "/api/v1/auth/session", cookie)
        self.assertEqual((status, body["user"]), (200, None), "the revoked cookie names nobody")

    def test_sign_out_without_a_session_is_401(self):
        status, headers, body = api(self.daemon, "DELETE", "/api/v1/auth/session")
        assert_problem(self, status, headers, json.dumps(body), 401)

    def test_the_forced_password_change_holds_for_cookie_sessions(self):
        email = f"forced.{unique_letters()}@example.org"
        status, _, _ = api(self.daemon, "POST", "/api/v1/users", token=self.admin,
                           body={"email": email, "display_name": "Forced Change", "role": "coordinator",
                                 "password": INITIAL_PASSWORD})
        self.assertEqual(status, 201)
        status, headers, body = self.sign_in(email, INITIAL_PASSWORD)
        self.assertEqual(status, 200, body)
        self.assertTrue(body["password_change_required"])
        cookie = "parcours_session=" + cookie_attributes(headers["set-cookie"])[1]
        csrf = body["csrf_token"]
        status, _, body = self.with_cookie("GET", "/api/v1/participants", cookie)
        self.assertEqual((status, body["type"]), (403, FORCED))
        status, _, _ = self.with_cookie("GET", "/api/v1/users/me", cookie)
        self.assertEqual(status, 200)
        status, _, body = self.with_cookie("POST", "/api/v1/users/me/password", cookie, csrf=csrf,
                                           body={"current_password": INITIAL_PASSWORD, "new_password": PASSWORD})
        self.assertEqual(status, 200, body)
        status, _, body = self.with_cookie("GET", "/api/v1/participants", cookie)
        self.assertEqual(status, 200, body)

    # ---- the pages' files ----------------------------------------------

    def test_every_page_address_answers_the_shell_with_a_strict_policy(self):
        shell = None
        for page in PAGES:
            status, headers, body = self.daemon.request("GET", page)
            self.assertEqual(status, 200, page)
            self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
            policy = headers["content-security-policy"]
            self.assertIn("default-src 'self'", policy)
            self.assertIn("script-src 'self'", policy)
            self.assertIn("frame-ancestors 'none'", policy)
            self.assertNotIn("unsafe-inline", policy)
            self.assertEqual(headers["cache-control"], "no-store")
            self.assertEqual(headers["x-content-type-options"], "nosniff")
            shell = shell or body
            self.assertEqual(body, shell, page)
        text = shell.decode()
        self.assertIn('<html lang="fr">', text)
        self.assertIn('name="viewport"', text)
        self.assertIn("<noscript>", text)
        self.assertIn('<script type="module" src="/assets/app.js"></script>', text)
        self.assertNotRegex(text, r"<script(?![^>]*\bsrc=)", "no inline script")

    def test_assets_have_their_type_a_strong_etag_and_revalidate(self):
        status, headers, body = self.daemon.request("GET", "/assets/app.js")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/javascript; charset=utf-8")
        self.assertEqual(headers["cache-control"], "no-cache")
        etag = headers["etag"]
        self.assertRegex(etag, r'^"[0-9a-f]{64}"$')
        self.assertIn(b"/api/v1/auth/session", body)
        # The CSRF header is sent by the pages' API module (app.js imports it).
        self.assertIn(b"X-CSRF-Token", self.daemon.request("GET", "/assets/api.js")[2])
        status, headers, again = self.daemon.request("GET", "/assets/app.js", headers={"If-None-Match": etag})
        self.assertEqual((status, again), (304, b""))
        self.assertEqual(headers["etag"], etag)
        status, _, body = self.daemon.request("GET", "/assets/app.js", headers={"If-None-Match": '"other"'})
        self.assertEqual(status, 200)
        status, headers, _ = self.daemon.request("GET", "/assets/app.css")
        self.assertEqual((status, headers["content-type"]), (200, "text/css; charset=utf-8"))
        status, headers, body = self.daemon.request("HEAD", "/assets/app.js")
        self.assertEqual((status, body, headers["etag"]), (200, b"", etag))
        self.assertGreater(int(headers["content-length"]), 0)

    def raw_get(self, target):
        """GET with the target exactly as written (no client normalisation) → (status, headers, body)."""
        with socket.create_connection(("127.0.0.1", self.daemon.port), timeout=30) as sock:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            return read_raw_response(sock)

    def test_no_path_leaves_the_web_root_and_nothing_is_listed(self):
        for target in ("/assets/../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
                       "/assets/..\\..\\etc\\passwd", "/assets/%5c..%5c..%5cetc%5cpasswd", "/../etc/passwd",
                       "/%2e%2e/%2e%2e/etc/passwd", "/assets/", "/assets", "/assets/.", "/assets/missing.js",
                       "/index.html", "/web/index.html", "/assets/../index.html", "/participants/x", "/nowhere"):
            status, headers, body = self.raw_get(target)
            self.assertEqual(status, 404, target)
            self.assertEqual(headers.get("content-type"), "application/problem+json", target)
            self.assertNotIn(b"root:", body, target)

    def test_only_get_and_head_on_pages(self):
        status, headers, _ = self.daemon.request("POST", "/", body=b"{}", headers={"Content-Type": "application/json"})
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "GET, HEAD")
        status, headers, body = self.daemon.request("HEAD", "/week")
        self.assertEqual((status, body), (200, b""))
        self.assertIn("content-security-policy", headers)

    # ---- reports as CSV --------------------------------------------------

    def test_reports_answer_csv_with_format_csv(self):
        _, cookie, _ = self.page_session("finance")
        status, headers, body = self.with_cookie("GET", "/api/v1/reports/aging?format=csv&as_of=2026-03-31", cookie)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "text/csv; charset=utf-8")
        self.assertEqual(headers["content-disposition"], 'attachment; filename="parcours-aging-2026-03-31.csv"')
        self.assertTrue(body.startswith(b"participant_id,"), body[:80])
        status, headers, body = self.with_cookie("GET", "/api/v1/reports/aging?format=json", cookie)
        self.assertEqual((status, headers["content-type"]), (200, "application/json"))
        status, headers, body = self.with_cookie("GET", "/api/v1/reports/aging?format=xml", cookie)
        assert_problem(self, status, headers, json.dumps(body), 400)


class OnSQLite(PageScenarios, unittest.TestCase):
    @classmethod
    def start_database(cls):
        return None


class OnMariaDB(PageScenarios, unittest.TestCase):
    @classmethod
    def start_database(cls):
        return private_mariadb(cls)


if __name__ == "__main__":
    unittest.main()
