"""Every route × every role (and no token), checked against the "who" rule
of docs/api.md: a role not named → 403; a named role → let through (neither
401 nor 403, and not 404 when the record exists); a named role limited to
its own records → 404 on someone else's; no token on a protected route → 401.

The table below cannot rot silently, and nothing in it is skipped: every
route in it must be served (a wrong method on its path gets 405 naming it),
and every route in the daemon's own OpenAPI document must be in it — the
integration test `routes_documented_test` checks that every route the
daemon registers is in that document, so a route added to the daemon but
not to this table fails one of the two.
"""

import datetime
import json
import re
import unittest
import uuid
import zoneinfo

from harness import Daemon, assert_problem
from people_fixtures import (COMMITMENT, ELIGIBLE, PASSWORD, ROLES, api, create_practitioner, login, referral,
                             signed_in_roles, unique_letters)

ALL, OWN = "all", "own"
SELF = "self"  # only on their own user id; anyone else's → 403 (a user id is no private record)
ATTESTATIONS = "attestations"  # documents: the coordinator reads attestations only (403 or 404 for the rest)
ANYONE = "anyone"          # no authentication
FEED = "feed token"        # ?token= of a calendar feed, no bearer token
STAFF = ("admin", "coordinator", "practitioner", "finance")


def who(*roles, **scoped):
    """Roles with every record, plus role=OWN for roles limited to their own."""
    rule = {role: ALL for role in roles}
    rule.update(scoped)
    return rule


ANY = who(*ROLES)


class Route:
    def __init__(self, method, path, rule, body=None, ok=None, fresh_token=False, headers=None):
        self.method = method
        self.path = path            # may hold one {placeholder} (and {missing}: an id that exists nowhere) and a query
        self.rule = rule            # ANYONE, FEED or {role: ALL | OWN | ATTESTATIONS}
        self.body = body            # callable(test, role) → JSON body, or None
        self.headers = headers      # callable(test, role) → extra request headers, or None
        self.ok = ok                # statuses an allowed caller may get (None: any but 401/403/404/405/5xx)
        self.fresh_token = fresh_token  # the request spends its token (logout)

    @property
    def bare_path(self):
        return self.path.split("?")[0]

    @property
    def shape(self):
        return re.sub(r"\{[^}]*\}", "{}", self.bare_path)

    @property
    def placeholder(self):
        found = re.search(r"\{(\w+)\}", self.path)
        return found.group(1) if found else None

    def name(self):
        slug = self.bare_path.replace("/api/v1/", "/").strip("/")
        slug = re.sub(r"[^a-z0-9]+", "_", slug.lower()).strip("_")
        return f"test_{self.method.lower()}_{slug}"


def new_user_body(test, role):
    return {"email": f"matrix.{unique_letters()}@example.org", "display_name": "Matrix User", "role": "researcher",
            "password": PASSWORD}


def login_body(test, role):
    return {"email": test.people.emails[role or "admin"], "password": PASSWORD}


def practitioner_body(test, role):
    return {"display_name": f"Dr {unique_letters(5)}", "discipline": "sexologist",
            "email": f"clinic.{unique_letters()}@example.org"}


def plan_body(test, role):
    return {"practitioner_id": test.people.practitioner_id or "1", "weeks": 1, "start_on": "2027-03-01",
            "dry_run": True}


def session_body(test, role):
    return {"practitioner_id": test.people.practitioner_id or "1", "participant_id": test.people.participant_id,
            "start": "2027-03-02T10:00:00-05:00"}


def idempotency_key(test, role):
    return {"Idempotency-Key": f"matrix-{uuid.uuid4()}"}


def payment_body(test, role, amount_cents=100):
    return {"participant_id": test.people.participant_id, "amount_cents": amount_cents, "method": "cash",
            "received_on": datetime.datetime.now(zoneinfo.ZoneInfo("America/Toronto")).date().isoformat()}


def bank_statement_body(test, role):
    today = datetime.date.today() - datetime.timedelta(days=1)
    return (f'"Account Type","Account Number","Transaction Date","Cheque Number","Description 1","Description 2",'
            f'"CAD$","USD$"\r\nChequing,01234-5012345,{today.month}/{today.day}/{today.year},,"DEPOT","matrix {role}",'
            f'12.34,\r\n').encode()


def csv_upload(test, role):
    return {"Content-Type": "text/csv"}


ROUTES = [
    # Foundation
    Route("GET", "/healthz", ANYONE, ok={200}),
    Route("GET", "/readyz", ANYONE, ok={200}),
    Route("GET", "/metrics", ANYONE, ok={200}),  # "anyone on loopback, else admin": these tests run on loopback
    Route("GET", "/api/v1/openapi.yaml", ANYONE, ok={200}),
    # Auth and users
    Route("POST", "/api/v1/auth/login", ANYONE, body=login_body, ok={200}),
    Route("POST", "/api/v1/auth/logout", ANY, ok={200}, fresh_token=True),
    # The pages' sign-in (a cookie session) and sign-out; with a bearer token no CSRF token is needed.
    Route("POST", "/api/v1/auth/session", ANYONE, body=login_body, ok={200}),
    # Anyone may ask; the answer names the caller when signed in (user null otherwise).
    Route("GET", "/api/v1/auth/session", ANYONE, ok={200}),
    Route("DELETE", "/api/v1/auth/session", ANY, ok={200}, fresh_token=True),
    Route("POST", "/api/v1/users", who("admin"), body=new_user_body, ok={201}),
    Route("GET", "/api/v1/users/me", ANY, ok={200}),
    # Only the user mints their own API tokens: an admin minting for someone else gets 403.
    Route("POST", "/api/v1/users/{user}/tokens", who(**{r: SELF for r in ROLES}), ok={201}),
    Route("GET", "/api/v1/users?role=finance", who("admin"), ok={200}),
    Route("POST", "/api/v1/users/{spare}/disable", who("admin"), ok={200}),
    Route("POST", "/api/v1/users/{spare}/enable", who("admin"), ok={200}),
    Route("POST", "/api/v1/users/{spare}/password-reset", who("admin"), ok={200}),
    Route("GET", "/api/v1/users/{user}/tokens", who("admin", **{r: SELF for r in ROLES if r != "admin"}), ok={200}),
    # No such token: the guard lets the caller through to a 404 (revoking a real one is test_accounts' work).
    Route("DELETE", "/api/v1/users/{user}/tokens/{missing}", who("admin", **{r: SELF for r in ROLES if r != "admin"}),
          ok={404}),
    # The wrong current password: through the guard to a 422, and nobody's password changes.
    Route("POST", "/api/v1/users/me/password", ANY,
          body=lambda t, r: {"current_password": "not the current one", "new_password": "a brand new passphrase"},
          ok={422}),
    # Participants
    Route("POST", "/api/v1/participants", who("coordinator"), body=lambda t, r: referral(), ok={201}),
    Route("GET", "/api/v1/participants", who("coordinator", "practitioner", "finance", "participant"), ok={200}),
    Route("GET", "/api/v1/participants/{participant}",
          who("coordinator", "finance", practitioner=OWN, participant=OWN), ok={200}),
    Route("POST", "/api/v1/participants/{changeable}/eligibility", who("coordinator"), body=lambda t, r: ELIGIBLE,
          ok={200, 409}),
    Route("POST", "/api/v1/participants/{changeable}/commitment", who("coordinator"), body=lambda t, r: COMMITMENT,
          ok={200, 409}),
    Route("POST", "/api/v1/participants/{changeable}/withdraw", who("coordinator"),
          body=lambda t, r: {"reason": "access matrix"}, ok={200, 409}),
    # Research and audit
    Route("GET", "/api/v1/audit", who("admin"), ok={200}),
    Route("POST", "/api/v1/retention/run?dry_run=true", who("admin"), ok={200}),
    # Practitioners
    Route("POST", "/api/v1/practitioners", who("admin", "coordinator"), body=practitioner_body, ok={201}),
    Route("GET", "/api/v1/practitioners", who(*STAFF), ok={200}),
    Route("GET", "/api/v1/practitioners/{practitioner}", who(*STAFF), ok={200}),
    # Calendars and sessions
    Route("PUT", "/api/v1/practitioners/{practitioner}/availability", who("coordinator", practitioner=OWN),
          body=lambda t, r: {"weekly": [{"weekday": "tue", "start": "09:00", "end": "12:00"}]}, ok={200}),
    # Not in the original contract; "staff" as the daemon declares it.
    Route("GET", "/api/v1/practitioners/{practitioner}/availability", who(*STAFF), ok={200}),
    Route("POST", "/api/v1/practitioners/{practitioner}/time-off", who("coordinator", practitioner=OWN),
          body=lambda t, r: {"start_date": "2027-08-02", "end_date": "2027-08-06", "reason": "vacances"},
          ok={201, 409}),
    Route("GET", "/api/v1/practitioners/{practitioner}/slots?from=2027-03-01&to=2027-03-07", who(*STAFF), ok={200}),
    Route("POST", "/api/v1/practitioners/{practitioner}/feed-token", who("coordinator", practitioner=OWN), ok={201}),
    Route("GET", "/api/v1/practitioners/{practitioner}/calendar.ics", FEED),
    Route("GET", "/api/v1/closures?year=2027", who(*STAFF), ok={200}),
    Route("POST", "/api/v1/closures", who("admin", "coordinator"),
          body=lambda t, r: {"date": "2027-08-16", "name": f"Fermeture {unique_letters(4)}"}, ok={201, 409}),
    Route("POST", "/api/v1/participants/{changeable}/plans", who("coordinator"), body=plan_body),
    Route("GET", "/api/v1/sessions", who(*STAFF, "participant"), ok={200}),
    Route("POST", "/api/v1/sessions", who("coordinator"), body=session_body),
    Route("PATCH", "/api/v1/sessions/{session}", who("coordinator", practitioner=OWN),
          body=lambda t, r: {"start": "2027-03-03T10:00:00-05:00"}),
    Route("POST", "/api/v1/sessions/{session}/cancel", who("coordinator", practitioner=OWN, participant=OWN),
          body=lambda t, r: {"reason": "sick", "by": {"participant": "participant", "practitioner": "practitioner"}
                                                     .get(r, "program")}),
    Route("POST", "/api/v1/sessions/{session}/attendance", who("coordinator", practitioner=OWN),
          body=lambda t, r: {"status": "attended"}),
    # Awareness days
    Route("POST", "/api/v1/group-sessions", who("coordinator"), body=lambda t, r: AWARENESS_DAY, ok={201}),
    Route("GET", "/api/v1/group-sessions/{awareness}", who(*STAFF), ok={200}),
    Route("POST", "/api/v1/group-sessions/{awareness}/seats", who("coordinator"),
          body=lambda t, r: {"participant_id": t.changeable}, ok={201, 409}),
    Route("POST", "/api/v1/group-sessions/{awareness}/attendance", who("coordinator"),
          body=lambda t, r: {"participant_id": t.seated, "status": "excused"}, ok={200}),
    # Billing. {participant} is enrolled: its fee invoice exists.
    Route("GET", "/api/v1/participants/{participant}/account", who("finance", "coordinator", participant=OWN),
          ok={200}),
    Route("POST", "/api/v1/participants/{participant}/payment-plan", who("finance", "coordinator"),
          body=lambda t, r: {"installments": 2, "first_due_on": "2027-03-01", "frequency": "monthly"},
          ok={201, 409}),
    Route("POST", "/api/v1/participants/{participant}/fee-adjustment", who("coordinator"),
          body=lambda t, r: {"new_fee_cents": 40000, "reason": "access matrix"}, headers=idempotency_key, ok={201}),
    Route("POST", "/api/v1/payments", who("finance"), body=payment_body, headers=idempotency_key, ok={201}),
    Route("GET", "/api/v1/payments", who("finance"), ok={200}),
    Route("POST", "/api/v1/payments/{payment}/refunds", who("finance"),
          body=lambda t, r: {"amount_cents": 1, "reason": "access matrix"}, headers=idempotency_key, ok={201}),
    Route("GET", "/api/v1/invoices?participant_id={participant}", who("finance", participant=OWN), ok={200}),
    Route("GET", "/api/v1/documents/{document}", who("finance", participant=OWN, coordinator=ATTESTATIONS),
          ok={200}),
    # A participant of the matrix is never in therapy with everything done: 409 is the allowed answer.
    Route("POST", "/api/v1/participants/{changeable}/complete", who("coordinator"), ok={409}),
    # No participant of the matrix has completed: the coordinator gets the 404 of "no attestation yet".
    Route("GET", "/api/v1/participants/{participant}/attestation.pdf", who("coordinator"), ok={404}),
    Route("GET", "/api/v1/documents/{document}.pdf", who("finance", participant=OWN, coordinator=ATTESTATIONS),
          ok={200}),
    Route("GET", "/api/v1/participants/{participant}/statement.pdf", who("finance", participant=OWN), ok={200}),
    # The matrix's participants have no e-mail address: 422 is the allowed answer.
    Route("POST", "/api/v1/documents/{document}/send", who("finance"), ok={202, 422}),
    Route("GET", "/api/v1/outbox", who("finance"), ok={200}),
    Route("POST", "/api/v1/reminders/overdue", who("finance"), ok={200}),
    Route("GET", "/api/v1/bank-profiles", who("finance"), ok={200}),
    Route("POST", "/api/v1/bank-statements?profile=rbc", who("finance"), body=bank_statement_body,
          headers=csv_upload, ok={201}),
    Route("GET", "/api/v1/bank-lines", who("finance"), ok={200}),
    # No bank line has that id: finance gets the 404 of an unknown line.
    Route("POST", "/api/v1/bank-lines/{missing}/match", who("finance"), body=lambda t, r: {"deposit_id": "1"},
          headers=idempotency_key, ok={404}),
    Route("DELETE", "/api/v1/bank-lines/{missing}/match", who("finance"), ok={404}),
    Route("POST", "/api/v1/bank-lines/{missing}/ignore", who("finance"),
          body=lambda t, r: {"kind": "other", "note": "access matrix"}, ok={404}),
    # No payment has that id: finance gets the 422 naming payment_ids.
    Route("POST", "/api/v1/deposits", who("finance"),
          body=lambda t, r: {"method": "cash", "deposited_on": "2026-11-02", "payment_ids": ["999999999"]},
          ok={422}),
    Route("GET", "/api/v1/deposits", who("finance"), ok={200}),
    # "999999999" is no YYYY-MM period: finance gets 404.
    Route("POST", "/api/v1/periods/{missing}/close", who("finance"), body=lambda t, r: {}, ok={404}),
    # Finance reports (JSON by default).
    Route("GET", "/api/v1/reports/aging", who("finance"), ok={200}),
    Route("GET", "/api/v1/reports/deposits", who("finance"), ok={200}),
    Route("GET", "/api/v1/reports/outstanding", who("finance"), ok={200}),
    Route("GET", "/api/v1/reports/revenue", who("finance"), ok={200}),
    Route("GET", "/api/v1/reports/taxes", who("finance"), ok={200}),
    Route("GET", "/api/v1/reports/reconciliation", who("finance"), ok={200}),
    Route("GET", "/api/v1/reports/journal", who("finance"), ok={200}),
    # Research: researchers and admins read de-identified data; admins register studies and read the log.
    Route("POST", "/api/v1/research/studies", who("admin"), body=lambda t, r: STUDY, ok={201}),
    Route("GET", "/api/v1/research/studies", who("admin", "researcher"), ok={200}),
    Route("GET", "/api/v1/research/studies/{study}/export.csv", who("admin", "researcher"), ok={200}),
    Route("GET", "/api/v1/research/studies/{study}/aggregates?by=outcome", who("admin", "researcher"), ok={200}),
    Route("GET", "/api/v1/research/dictionary", who("admin", "researcher"), ok={200}),
    Route("GET", "/api/v1/research/exports", who("admin"), ok={200}),
]

STUDY = {"name": "Matrix study", "purpose": "Access checks", "ethics_reference": "CER-MATRIX"}

AWARENESS_DAY = {"start": "2027-04-10T09:00:00-04:00", "minutes": 360, "location": "Salle 2",
                 "speakers": ["Intervenante A", "Intervenant B"]}

WRONG_METHODS = ("DELETE", "PATCH", "PUT", "POST", "GET")


def methods_of(path_shape):
    return {r.method for r in ROUTES if r.shape == path_shape}


class AccessMatrix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon().start()
        cls.addClassCleanup(cls.daemon.stop)
        cls.people = signed_in_roles(cls.daemon)
        coordinator = cls.people.token("coordinator")
        # A user nobody signs in as: the admin disables, enables and resets it.
        status, _, spare = api(cls.daemon, "POST", "/api/v1/users", token=cls.people.token("admin"),
                               body=new_user_body(cls, "admin"))
        assert status == 201, spare
        cls.spare_user = spare["id"]

        def refer():
            status, _, body = api(cls.daemon, "POST", "/api/v1/participants", token=coordinator, body=referral())
            assert status == 201, body
            return body["id"]

        cls.other_participant = refer()   # nobody's own record
        cls.changeable = refer()          # the one the coordinator's changes go to
        assert cls.people.practitioner_id, "the practitioner user has no practitioner record"
        cls.other_practitioner = create_practitioner(cls.daemon, cls.people.token("admin"))["id"]
        # The practitioner user treats the participant user (a plan of
        # theirs), and another practitioner treats another participant: own
        # and foreign sessions and participants to try.
        status, _, day = api(cls.daemon, "POST", "/api/v1/group-sessions", token=coordinator, body=AWARENESS_DAY)
        assert status == 201, day
        cls.awareness_day = day["id"]
        cls.own_session = cls.place_plan(cls.people.practitioner_id, cls.people.participant_id)
        cls.foreign_session = cls.place_plan(cls.other_practitioner, cls.other_participant)
        cls.treated = cls.people.participant_id
        # A seated participant (enrolled above) for the attendance route.
        cls.seated = cls.people.participant_id
        status, _, seat = api(cls.daemon, "POST", f"/api/v1/group-sessions/{cls.awareness_day}/seats",
                              token=coordinator, body={"participant_id": cls.seated})
        assert status == 201, seat
        # Billing: a payment to refund, and the fee invoices of the participant
        # user (own) and of another participant (foreign), both enrolled above.
        status, _, payment = api(cls.daemon, "POST", "/api/v1/payments", token=cls.people.token("finance"),
                                 body=payment_body(cls, "finance", 5000), headers=idempotency_key(cls, "finance"))
        assert status == 201, payment
        cls.payment = payment["id"]
        status, _, study = api(cls.daemon, "POST", "/api/v1/research/studies", token=cls.people.token("admin"),
                               body=STUDY)
        assert status == 201, study
        cls.study = study["id"]
        cls.own_invoice = cls.fee_invoice(cls.people.participant_id)
        cls.other_invoice = cls.fee_invoice(cls.other_participant)

    @classmethod
    def fee_invoice(cls, participant_id):
        """The number of the participant's first invoice (None when never enrolled)."""
        status, _, page = api(cls.daemon, "GET", f"/api/v1/invoices?participant_id={participant_id}",
                              token=cls.people.token("finance"))
        assert status == 200, page
        return page["items"][0]["number"] if page["items"] else None

    @classmethod
    def place_plan(cls, practitioner_id, participant_id):
        """Enrols the participant and places a two-week plan → the first session's id."""
        coordinator = cls.people.token("coordinator")
        weekly = [{"weekday": day, "start": "09:00", "end": "17:00"} for day in ("mon", "tue", "wed", "thu", "fri")]
        steps = [("PUT", f"/api/v1/practitioners/{practitioner_id}/availability", {"weekly": weekly}, 200),
                 ("POST", f"/api/v1/participants/{participant_id}/eligibility", ELIGIBLE, 200),
                 ("POST", f"/api/v1/participants/{participant_id}/commitment", COMMITMENT, 200),
                 ("POST", f"/api/v1/participants/{participant_id}/plans",
                  {"practitioner_id": practitioner_id, "weeks": 2, "start_on": "2027-03-01"}, 201)]
        for method, path, body, expected in steps:
            status, _, answer = api(cls.daemon, method, path, token=coordinator, body=body)
            assert status == expected, f"{method} {path} → {status} {answer}"
        return answer["sessions"][0]["id"]

    # ---- the matrix ----------------------------------------------------

    def target(self, placeholder, role, whose):
        """The id to put in the path: whose is 'valid' (an existing record),
        'own' (the caller's, None when they have none) or 'foreign'."""
        people = self.people
        if placeholder == "spare":
            return self.spare_user
        if placeholder == "missing":
            return 999999999  # a record that exists nowhere
        if placeholder == "user":
            someone_else = people.user_id("researcher" if role == "admin" else "admin")
            return {"own": people.users[role]["id"] if role else None}.get(whose, someone_else)
        if placeholder == "participant":
            if whose == "own":
                return {"participant": people.participant_id, "practitioner": self.treated}.get(role)
            return self.other_participant if whose == "foreign" else people.participant_id
        if placeholder == "changeable":
            return self.changeable
        if placeholder == "practitioner":
            if whose == "own":
                return people.practitioner_id if role == "practitioner" else None
            return self.other_practitioner if whose == "foreign" else people.practitioner_id
        if placeholder == "awareness":
            return self.awareness_day
        if placeholder == "session":
            if whose == "own":
                return self.own_session if role in ("practitioner", "participant") else None
            return self.foreign_session if whose == "foreign" else self.own_session
        if placeholder == "payment":
            return self.payment
        if placeholder == "study":
            return self.study
        if placeholder == "document":
            if whose == "own":
                return self.own_invoice if role == "participant" else None  # no attestation exists yet
            return self.other_invoice if whose == "foreign" else self.own_invoice
        raise AssertionError(f"unknown placeholder {placeholder}")

    def send(self, route, role, whose="valid", token=None):
        path = route.path
        if route.placeholder:
            value = self.target(route.placeholder, role, whose)
            if value is None:
                return None
            path = path.replace("{" + route.placeholder + "}", str(value))
        path = path.replace("{missing}", "999999999")  # a second parameter naming nothing that exists
        if role is not None and token is None:
            token = login(self.daemon, self.people.emails[role]) if route.fresh_token else self.people.token(role)
        body = route.body(self, role) if route.body else None
        headers = route.headers(self, role) if route.headers else None
        return path, api(self.daemon, route.method, path, token=token, body=body, headers=headers)

    def assert_let_through(self, route, sent, who):
        path, (status, headers, body) = sent
        what = f"{who} {route.method} {path} → {status} {body!r:.300}"
        self.assertNotIn(status, (401, 403, 405), what)
        self.assertLess(status, 500, what)
        # A 404 means "not yours" unless the route lists it as its expected answer.
        if 404 not in (route.ok or ()):
            self.assertNotEqual(status, 404, what)
        if route.ok is not None:
            self.assertIn(status, route.ok, what)

    def assert_status(self, sent, expected, who, route):
        path, (status, headers, body) = sent
        if isinstance(expected, tuple):  # any of these
            self.assertIn(status, expected, f"{who} {route.method} {path} → {status} {body!r:.300}")
            expected = status
        self.assertEqual(status, expected, f"{who} {route.method} {path} → {status} {body!r:.300}")
        assert_problem(self, status, headers, json.dumps(body) if isinstance(body, dict) else body, expected)

    def served(self, route):
        """A method the path does not have gets 405 naming route.method (an unknown path gets 404)."""
        wrong = next(m for m in WRONG_METHODS if m not in methods_of(route.shape))
        status, headers, _ = self.daemon.request(wrong, route.bare_path.replace("{" + str(route.placeholder) + "}",
                                                                                 "1").replace("{missing}", "1"))
        allowed = {m.strip() for m in headers.get("allow", "").split(",") if m.strip()}
        return status == 405 and route.method in allowed, (wrong, status, headers.get("allow"))

    def check_route(self, route):
        is_served, evidence = self.served(route)
        self.assertTrue(is_served, f"{route.method} {route.path} is not served: {evidence}")

        with self.subTest(role="(no token)"):
            sent = self.send(route, None)
            if route.rule == ANYONE:
                self.assert_let_through(route, sent, "no token")
            elif route.rule == FEED:
                self.assert_status(sent, 404, "no feed token", route)
            else:
                self.assert_status(sent, 401, "no token", route)

        for role in self.people.roles:
            with self.subTest(role=role):
                if route.rule == ANYONE:
                    self.assert_let_through(route, self.send(route, role), role)
                    continue
                if route.rule == FEED:
                    # A bearer token is no credential for a feed.
                    self.assert_status(self.send(route, role), 404, role, route)
                    continue
                scope = route.rule.get(role)
                if scope is None:
                    self.assert_status(self.send(route, role), 403, role, route)
                elif scope == ALL:
                    self.assert_let_through(route, self.send(route, role), role)
                elif scope == SELF:
                    own = self.send(route, role, "own")
                    if own is not None:
                        self.assert_let_through(route, own, f"{role} (self)")
                    self.assert_status(self.send(route, role, "foreign"), 403, f"{role} (someone else)", route)
                elif scope == ATTESTATIONS:
                    # A record that is not an attestation (an invoice): refused, 403 or 404.
                    other = self.send(route, role, "foreign")
                    if other is not None:
                        self.assert_status(other, (403, 404), f"{role} (not an attestation)", route)
                else:
                    own = self.send(route, role, "own")
                    if own is not None:
                        self.assert_let_through(route, own, f"{role} (own record)")
                    foreign = self.send(route, role, "foreign")
                    if foreign is not None:
                        self.assert_status(foreign, 404, f"{role} (someone else's record)", route)

        if route.rule == FEED:
            status, _, feed = api(self.daemon, "POST",
                                  f"/api/v1/practitioners/{self.people.practitioner_id}/feed-token",
                                  token=self.people.token("coordinator"))
            self.assertEqual(status, 201, feed)
            status, headers, body = self.daemon.request("GET", feed["url"])
            self.assertEqual(status, 200, body[:300])
            self.assertTrue(headers["content-type"].startswith("text/calendar"), headers)

    # ---- the table itself ----------------------------------------------

    def test_every_role_is_signed_in(self):
        self.assertEqual(set(self.people.roles), set(ROLES), "every role is part of the matrix")
        for role in self.people.roles:
            status, _, me = api(self.daemon, "GET", "/api/v1/users/me", token=self.people.token(role))
            self.assertEqual((status, me["role"]), (200, role), me)

    def documented_routes(self):
        """(METHOD, path with {} for parameters) of the served OpenAPI document."""
        status, _, body = self.daemon.request("GET", "/api/v1/openapi.yaml")
        self.assertEqual(status, 200)
        documented, path = set(), None
        for line in body.decode().splitlines():
            found = re.match(r"^  (/\S*):\s*$", line)
            if found:
                path = re.sub(r"\{[^}]*\}", "{}", found.group(1))
                continue
            found = re.match(r"^    (get|put|post|patch|delete|head|options):", line)
            if found and path:
                documented.add((found.group(1).upper(), path))
        self.assertGreater(len(documented), 10, body[:500])
        return documented

    def test_every_route_the_daemon_documents_is_in_the_table(self):
        table = {(r.method, r.shape) for r in ROUTES}
        self.assertEqual(self.documented_routes() - table, set(),
                         "routes the daemon serves and documents, missing from this table")

    def test_every_served_route_in_the_table_is_documented(self):
        """docs/openapi.yaml (served at /api/v1/openapi.yaml) stays true to what the daemon does."""
        served = {(r.method, r.shape) for r in ROUTES if self.served(r)[0]}
        self.assertEqual(served - self.documented_routes(), set(), "served but missing from /api/v1/openapi.yaml")

    def test_unknown_routes_are_404(self):
        for method, path in (("GET", "/api/v1/nope"), ("GET", "/api/v1/participants/1/nope"),
                             ("GET", "/api/v1/users/me/extra"), ("GET", "/api/v2/participants"),
                             ("GET", "/api/v1/participants/1/2"), ("GET", "/API/V1/PARTICIPANTS"),
                             ("GET", "/api/v1/research/nope.csv")):
            for role in (None, "coordinator", "admin"):
                with self.subTest(path=path, role=role):
                    token = self.people.token(role) if role else None
                    status, headers, body = api(self.daemon, method, path, token=token)
                    assert_problem(self, status, headers, json.dumps(body), 404)

    def test_wrong_method_is_405_with_allow(self):
        status, headers, body = api(self.daemon, "DELETE", "/api/v1/participants", token=self.people.token("admin"))
        assert_problem(self, status, headers, json.dumps(body), 405)
        self.assertEqual({m.strip() for m in headers["allow"].split(",")}, {"GET", "POST"})

    # ---- the cases the access rules spell out ------------------------

    def test_foreign_records_answer_exactly_like_missing_ones(self):
        """Where existence is private, someone else's record and no record at
        all give the caller the same answer."""
        cases = [("participant", self.other_participant), ("practitioner", self.other_participant)]
        for role, pid in cases:
            with self.subTest(role=role, participant=pid):
                status, headers, body = api(self.daemon, "GET", f"/api/v1/participants/{pid}",
                                            token=self.people.token(role))
                assert_problem(self, status, headers, json.dumps(body), 404)
                for unknown in ("999999", "abc"):
                    status, _, missing = api(self.daemon, "GET", f"/api/v1/participants/{unknown}",
                                             token=self.people.token(role))
                    self.assertEqual((status, missing), (404, body), unknown)

    def test_practitioner_reads_own_participants_only(self):
        """GET /participants and /participants/{id}, practitioner (own)."""
        practitioner = self.people.token("practitioner")
        status, _, one = api(self.daemon, "GET", f"/api/v1/participants/{self.treated}", token=practitioner)
        self.assertEqual((status, one.get("id")), (200, self.treated), one)
        self.assertLessEqual({"given_name", "family_name", "email", "phone"}, set(one), "contact details")
        self.assertFalse({"birth_date", "referral", "ineligibility_reasons"} & set(one), one)
        status, _, page = api(self.daemon, "GET", "/api/v1/participants", token=practitioner)
        self.assertEqual(status, 200, page)
        self.assertEqual([i["id"] for i in page["items"]], [self.treated],
                         "GET /api/v1/participants as a practitioner lists their own participants")
        status, _, other = api(self.daemon, "GET", f"/api/v1/participants/{self.other_participant}", token=practitioner)
        self.assertEqual(status, 404, other)

    def test_session_lists_are_limited_to_own(self):
        for role, key, own in (("practitioner", "practitioner_id", self.people.practitioner_id),
                               ("participant", "participant_id", self.people.participant_id)):
            with self.subTest(role=role):
                status, _, page = api(self.daemon, "GET", "/api/v1/sessions", token=self.people.token(role))
                self.assertEqual(status, 200, page)
                self.assertTrue(page["items"], page)
                self.assertEqual({i[key] for i in page["items"]}, {own}, page)
                # Asking for someone else's sessions shows none of them.
                other = {"practitioner_id": self.other_practitioner, "participant_id": self.other_participant}
                for name, value in other.items():
                    status, _, page = api(self.daemon, "GET", f"/api/v1/sessions?{name}={value}",
                                          token=self.people.token(role))
                    self.assertIn(status, (200, 403, 404), page)
                    if status == 200:
                        self.assertEqual({i[key] for i in page["items"]} - {own}, set(), (name, page))
                        self.assertNotIn(self.other_participant, {i["participant_id"] for i in page["items"]})
        status, _, page = api(self.daemon, "GET", "/api/v1/sessions", token=self.people.token("coordinator"))
        self.assertEqual({i["participant_id"] for i in page["items"]}, {self.people.participant_id,
                                                                       self.other_participant})

    def test_participant_reads_self_only(self):
        own = self.people.participant_id
        status, _, body = api(self.daemon, "GET", f"/api/v1/participants/{own}", token=self.people.token("participant"))
        self.assertEqual((status, body["id"]), (200, own), body)
        status, _, page = api(self.daemon, "GET", "/api/v1/participants", token=self.people.token("participant"))
        self.assertEqual([i["id"] for i in page["items"]], [own])

    def test_admin_sees_no_participant_data(self):
        admin = self.people.token("admin")
        for path in (f"/api/v1/participants/{self.people.participant_id}", "/api/v1/participants",
                     f"/api/v1/participants/{self.other_participant}"):
            with self.subTest(path=path):
                status, headers, body = api(self.daemon, "GET", path, token=admin)
                assert_problem(self, status, headers, json.dumps(body), 403)

    def test_researcher_gets_nothing_personal(self):
        researcher = self.people.token("researcher")
        for path in (f"/api/v1/participants/{self.people.participant_id}", "/api/v1/participants", "/api/v1/audit",
                     f"/api/v1/audit?subject=participant:{self.people.participant_id}"):
            with self.subTest(path=path):
                status, headers, body = api(self.daemon, "GET", path, token=researcher)
                assert_problem(self, status, headers, json.dumps(body), 403)

    def test_forbidden_comes_before_body_validation(self):
        """The guard runs first: a role not named gets 403 even for a broken body."""
        for role, method, path in (("finance", "POST", "/api/v1/participants"),
                                   ("coordinator", "POST", "/api/v1/users"),
                                   ("participant", "POST", f"/api/v1/participants/{self.changeable}/eligibility")):
            with self.subTest(role=role, path=path):
                status, headers, body = api(self.daemon, method, path, token=self.people.token(role), body=b"{oops")
                assert_problem(self, status, headers, json.dumps(body), 403)
                status, headers, body = api(self.daemon, method, path, body=b"{oops")
                assert_problem(self, status, headers, json.dumps(body), 401)


def _make_test(route):
    def test(self):
        self.check_route(route)
    test.__name__ = route.name()
    test.__doc__ = f"{route.method} {route.path}"
    return test


for _route in ROUTES:
    assert not hasattr(AccessMatrix, _route.name()), _route.name()
    setattr(AccessMatrix, _route.name(), _make_test(_route))
