"""Fixtures for the billing end-to-end tests: a daemon with an admin, a
signed-in coordinator (the scheduling fixtures' Clinic) and a signed-in
finance user; helpers for accounts, payment plans, payments, refunds, fee
adjustments, invoices and documents; many clients released at once by a
barrier (with headers, for Idempotency-Key).

Standard library only; loopback only. The daemons and MariaDB servers are
the harness's, stopped by their own PID."""

import datetime
import http.client
import re
import threading
import unittest
import urllib.parse
import uuid
import zoneinfo

import harness
from clock_fixtures import DaemonClock
from harness import Daemon, private_mariadb
from scheduling_fixtures import race as scheduling_race
from scheduling_fixtures import (Clinic, call, call_raw, create_user, decode, encode, expect, key_file_args,
                                 request_headers)

TORONTO = zoneinfo.ZoneInfo("America/Toronto")   # the program's time zone
FEE = 50000                                       # default program fee, cents (500.00 CAD, tax exempt)
CURRENCY = "CAD"
METHODS = ("cash", "cheque", "debit", "credit", "interac", "bank_transfer")
NUMBER = re.compile(r"^(F|NC|R|RR|A)-(\d{4})-(\d{5})$")
AMOUNTS = ("balance_cents", "charges_cents", "credits_cents", "payments_cents", "refunds_cents")
KINDS = {"F": "invoice", "NC": "credit_note", "R": "receipt", "RR": "refund_receipt", "A": "attestation"}


def program_today():
    return datetime.datetime.now(TORONTO).date()


def this_year():
    """The year of issue of a document issued now (program time zone)."""
    return program_today().year


def number(prefix, serial, year=None):
    return f"{prefix}-{year or this_year()}-{serial:05d}"


def split_number(text):
    """'R-2026-00012' → ('R', 2026, 12); AssertionError when it is not a document number."""
    found = NUMBER.match(text or "")
    if not found:
        raise AssertionError(f"not a document number: {text!r}")
    return found.group(1), int(found.group(2)), int(found.group(3))


def new_key():
    """A fresh Idempotency-Key."""
    return f"e2e-{uuid.uuid4()}"


def key_header(key):
    return {} if key is None else {"Idempotency-Key": key}


def instant(text):
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(text)


class Till(Clinic):
    """The Clinic (admin + coordinator) plus a signed-in finance user.
    Requests go as finance unless told otherwise (money is finance's)."""

    def __init__(self, daemon):
        super().__init__(daemon)
        self.finance_user, self.finance = create_user(daemon, self.admin, "finance")

    def as_finance(self, method, path, body=None, token=None, headers=None):
        return call(self.daemon, method, path, token=token or self.finance, body=body, headers=headers)

    def raw_finance(self, method, path, body=None, token=None, headers=None):
        return call_raw(self.daemon, method, path, token=token or self.finance, body=body, headers=headers)

    # -- reading -----------------------------------------------------------------

    def account_answer(self, participant_id, token=None):
        return self.as_finance("GET", f"/api/v1/participants/{participant_id}/account", token=token)

    def account(self, participant_id, token=None):
        return expect(200, self.account_answer(participant_id, token), f"GET account of {participant_id}")

    def pages(self, path, token=None, limit=500, **query):
        """Every item of a cursor-paged list, following next_cursor."""
        items, cursor, seen = [], None, set()
        while True:
            params = {k: v for k, v in query.items() if v is not None}
            params["limit"] = limit
            if cursor is not None:
                params["cursor"] = cursor
            page = expect(200, self.as_finance("GET", f"{path}?{urllib.parse.urlencode(params)}", token=token),
                          f"GET {path}")
            items += page["items"]
            cursor = page.get("next_cursor")
            if cursor is None:
                return items
            if cursor in seen or len(seen) > 10000:
                raise AssertionError(f"GET {path}: next_cursor loops ({cursor!r})")
            seen.add(cursor)

    def payments(self, token=None, limit=500, **query):
        return self.pages("/api/v1/payments", token=token, limit=limit, **query)

    def invoices(self, participant_id=None, token=None):
        return self.pages("/api/v1/invoices", token=token, participant_id=participant_id)

    def document_answer(self, doc_number, token=None):
        return self.as_finance("GET", f"/api/v1/documents/{urllib.parse.quote(doc_number)}", token=token)

    def document(self, doc_number, token=None):
        return expect(200, self.document_answer(doc_number, token), f"GET document {doc_number}")

    # -- writing -----------------------------------------------------------------

    def plan(self, participant_id, installments, first_due_on, frequency="monthly", token=None, raw=False):
        body = {"installments": installments, "first_due_on": first_due_on, "frequency": frequency}
        send = self.raw_finance if raw else self.as_finance
        return send("POST", f"/api/v1/participants/{participant_id}/payment-plan", body, token=token)

    @staticmethod
    def payment_body(participant_id, amount_cents, method="cash", received_on=None, reference=None):
        body = {"participant_id": participant_id, "amount_cents": amount_cents, "method": method,
                "received_on": received_on or program_today().isoformat()}
        if reference is not None:
            body["reference"] = reference
        return body

    def pay(self, participant_id, amount_cents, method="cash", received_on=None, reference=None, key="new",
            token=None, raw=False):
        """POST /payments → the answer; key "new" sends a fresh Idempotency-Key, None sends none."""
        body = self.payment_body(participant_id, amount_cents, method, received_on, reference)
        return self.post_payment(body, key=key, token=token, raw=raw)

    def post_payment(self, body, key="new", token=None, raw=False):
        key = new_key() if key == "new" else key
        send = self.raw_finance if raw else self.as_finance
        return send("POST", "/api/v1/payments", body, token=token, headers=key_header(key))

    def paid(self, participant_id, amount_cents, **kwargs):
        return expect(201, self.pay(participant_id, amount_cents, **kwargs), f"payment of {amount_cents}")

    def refund(self, payment_id, amount_cents, reason="trop-perçu", key="new", token=None, raw=False):
        key = new_key() if key == "new" else key
        send = self.raw_finance if raw else self.as_finance
        return send("POST", f"/api/v1/payments/{payment_id}/refunds",
                    {"amount_cents": amount_cents, "reason": reason}, token=token, headers=key_header(key))

    def adjust(self, participant_id, new_fee_cents, reason="capacité de payer", key=None, token=None, raw=False):
        send = self.raw if raw else self.call   # the coordinator's
        return send("POST", f"/api/v1/participants/{participant_id}/fee-adjustment",
                    {"new_fee_cents": new_fee_cents, "reason": reason}, token=token, headers=key_header(key))

    def withdraw(self, participant_id, reason="déménagement"):
        return expect(200, self.call("POST", f"/api/v1/participants/{participant_id}/withdraw", {"reason": reason}),
                      "withdraw")


# -- test case bases ------------------------------------------------------------------

class BillingCase(unittest.TestCase):
    """One SQLite daemon with an admin, a coordinator and finance per class."""

    @classmethod
    def start_database(cls):
        """→ database URL, or None for SQLite in the daemon's folder."""
        return None

    # True: the daemon runs on a test clock, cls.clock (clock_fixtures.DaemonClock).
    clocked = False

    @classmethod
    def setUpClass(cls):
        url = cls.start_database()
        cls.daemon = Daemon(database=url)
        if cls.clocked:
            cls.clock = DaemonClock(cls.daemon)
        cls.addClassCleanup(cls.daemon.close)
        cls.daemon.start()
        cls.till = Till(cls.daemon)

    def second_daemon(self):
        """Another daemon on the same database (SQLite file or MariaDB), with
        the first one's keys; stopped when the test ends."""
        second = Daemon(*key_file_args(self.daemon), database=self.daemon.database)
        if self.clocked:
            self.clock.attach(second)   # one clock file: both daemons live at the same time
        self.addCleanup(second.close)
        second.start()
        status, _, body = call(second, "GET", "/api/v1/users/me", token=self.till.finance)
        if status != 200:
            raise AssertionError(f"the second daemon does not accept finance's token: {status} {body!r}")
        return second

    def tearDown(self):
        # A crash shows in every later test; say so at the first one.
        self.assertTrue(self.daemon.alive(), f"parcoursd died:\n{self.daemon.log_text()[-3000:]}")


class MariaDBBillingCase(BillingCase):
    """The same, on a private MariaDB server of the class's own."""

    @classmethod
    def start_database(cls):
        return private_mariadb(cls)


# -- many clients ---------------------------------------------------------------------

def race(daemons, requests, timeout=120):
    """scheduling_fixtures.race with requests (method, path, token, body,
    headers), allowed more time: payments render and store a PDF each."""
    return scheduling_race(daemons, requests, timeout)


def hammer(daemon, jobs, clients, timeout=120, retries=3):
    """Runs the (method, path, token, body, headers) jobs from `clients`
    threads at once, each on its own keep-alive connection, job i on client
    i % clients, released together by a barrier → [(status, decoded body) or
    the exception], in job order. A connection that breaks is reopened and the
    request sent again (safe: every job carries its own Idempotency-Key)."""
    results = [None] * len(jobs)
    barrier = threading.Barrier(clients)

    def client(c):
        conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=timeout)
        try:
            conn.connect()
            barrier.wait(timeout)
            for i in range(c, len(jobs), clients):
                method, path, token, body, headers = jobs[i]
                for attempt in range(retries + 1):
                    try:
                        conn.request(method, path, body=encode(body), headers=request_headers(token, body, headers))
                        response = conn.getresponse()
                        answer = harness.lower_headers(response)
                        results[i] = (response.status, decode(answer, response.read()))
                        if answer.get("connection", "").lower() == "close":
                            conn.close()
                            conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=timeout)
                        break
                    except (http.client.HTTPException, ConnectionError) as error:
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=timeout)
                        results[i] = error
        except Exception as error:  # reported to the test, which fails on it
            for i in range(c, len(jobs), clients):
                if results[i] is None:
                    results[i] = error
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(c,), name=f"billing-client-{c}", daemon=True)
               for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * 10)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("a client did not finish")
    return results
