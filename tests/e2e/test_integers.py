"""Integers from JSON and query strings are range-checked on their 64-bit
value, never after narrowing: `"weeks": 4294967299` (2^32 + 3) is refused,
not taken as 3. Each bad value is a 400 (not a JSON integer: 1e3, "3") or a
422 (an integer out of range: 4294967299, -1), and nothing is stored.

The counts are read from the daemon's SQLite file with the sqlite3 module."""

import os
import sqlite3
import unittest

from billing_fixtures import BillingCase, expect, key_header, new_key
from harness import assert_problem

WEEKDAYS = [(d, "09:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")]
# Written into the body as they are: 1e3 must reach the daemon as 1e3, not 1000.0.
BAD = {"4294967299": 422, "-1": 422, "1e3": 400, '"3"': 400}
TABLES = ("plans", "sessions", "group_sessions", "payments", "installments")


def body_with(template, literal):
    """The JSON text of `template` with the placeholder string replaced by the literal."""
    return template.replace('"@VALUE@"', literal)


class IntegerRangeTests(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.practitioner = cls.till.practitioner(WEEKDAYS)
        cls.participant = cls.till.enrolled()

    def counts(self):
        path = os.path.join(self.daemon.dir, "parcours.db")
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}

    def refused(self, method, path, template, token=None, headers=None):
        before = self.counts()
        for literal, wanted in BAD.items():
            with self.subTest(path=path, value=literal):
                text = body_with(template, literal)
                status, answer, body = self.till.raw(method, path, text, token=token, headers=headers)
                self.assertEqual(status, wanted, body[:400])
                assert_problem(self, status, answer, body, wanted)
        self.assertEqual(self.counts(), before, "a refused request stores nothing")

    def test_plan_weeks_and_session_minutes(self):
        pid, prac = self.participant["id"], self.practitioner["id"]
        path = f"/api/v1/participants/{pid}/plans"
        self.refused("POST", path, f'{{"practitioner_id": "{prac}", "weeks": "@VALUE@", "start_on": "2027-03-01"}}')
        self.refused("POST", path, f'{{"practitioner_id": "{prac}", "weeks": 1, "start_on": "2027-03-01",'
                                   f' "session_minutes": "@VALUE@"}}')

    def test_session_minutes(self):
        self.refused("POST", "/api/v1/sessions",
                     f'{{"practitioner_id": "{self.practitioner["id"]}", "participant_id": "{self.participant["id"]}",'
                     f' "start": "2027-03-02T10:00:00-05:00", "minutes": "@VALUE@"}}')

    def test_awareness_day_capacity_and_minutes(self):
        day = '"start": "2027-04-10T09:00:00-04:00", "location": "Salle 2", "speakers": ["Intervenante A"]'
        self.refused("POST", "/api/v1/group-sessions", f'{{{day}, "minutes": 360, "capacity": "@VALUE@"}}')
        self.refused("POST", "/api/v1/group-sessions", f'{{{day}, "minutes": "@VALUE@"}}')

    def test_practitioner_minutes(self):
        before = expect(200, self.till.call("GET", "/api/v1/practitioners?limit=500"), "list")["items"]
        for field in ("session_minutes", "buffer_minutes"):
            for literal, wanted in BAD.items():
                with self.subTest(field=field, value=literal):
                    text = ('{"display_name": "Dre Test", "discipline": "therapist", "email": "t@example.org",'
                            f' "{field}": {literal}}}')
                    status, answer, body = self.till.raw("POST", "/api/v1/practitioners", text)
                    assert_problem(self, status, answer, body, wanted)
        after = expect(200, self.till.call("GET", "/api/v1/practitioners?limit=500"), "list")["items"]
        self.assertEqual(len(after), len(before), "a practitioner was stored")

    def test_installments(self):
        self.refused("POST", f"/api/v1/participants/{self.participant['id']}/payment-plan",
                     '{"installments": "@VALUE@", "first_due_on": "2027-01-15", "frequency": "monthly"}',
                     token=self.till.finance)

    def test_amount_cents(self):
        template = (f'{{"participant_id": "{self.participant["id"]}", "amount_cents": "@VALUE@", "method": "cash",'
                    f' "received_on": "2026-12-01"}}')
        before = self.counts()
        for literal, wanted in BAD.items():
            with self.subTest(value=literal):
                status, _, body = self.till.raw("POST", "/api/v1/payments", body_with(template, literal),
                                                token=self.till.finance, headers=key_header(new_key()))
                self.assertEqual(status, wanted, body[:400])
        self.assertEqual(self.counts(), before)

    def test_query_integers(self):
        for path in ("/api/v1/sessions", "/api/v1/participants"):
            for value in ("4294967299", "4294967346", "-1", "1e3", "%223%22", "0", "501"):
                with self.subTest(path=path, limit=value):
                    status, answer, body = self.till.raw("GET", f"{path}?limit={value}")
                    assert_problem(self, status, answer, body, 400)
        slots = f"/api/v1/practitioners/{self.practitioner['id']}/slots?from=2027-03-01&to=2027-03-01&minutes="
        for value in ("4294967356", "-1", "1e3", "%2260%22"):
            with self.subTest(minutes=value):
                status, answer, body = self.till.raw("GET", slots + value)
                self.assertIn(status, (400, 422), body[:300])
        expect(200, self.till.call("GET", "/api/v1/sessions?limit=500"), "limit 500")


if __name__ == "__main__":
    unittest.main()
