"""Completion: the criteria of docs/domain.md (awareness day attended, every
therapy session attended or excused, fee settled) decide; a completed
participant gets an attestation A-YYYY-NNNNN whose PDF is stored once and
downloaded byte for byte. On SQLite and on MariaDB."""

import subprocess
import tempfile
import unittest

from billing_fixtures import BillingCase, MariaDBBillingCase, expect, number
from clock_fixtures import attend, awareness_day_seat, plan_from_tomorrow
from harness import assert_problem

WEEKDAYS = [(d, "09:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")]


def problem(testcase, answer, status):
    code, headers, body = answer
    testcase.assertEqual(code, status, body[:500])
    return assert_problem(testcase, code, headers, body, status)


def pdf_text(testcase, data):
    testcase.assertTrue(data.startswith(b"%PDF-"), data[:20])
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        check = subprocess.run(["qpdf", "--check", f.name], capture_output=True, text=True)
        testcase.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, check=True)
        return text.stdout


class CompletionMixin:
    # Sessions are booked ahead and attended once the daemon's clock has moved on.
    clocked = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.practitioner = cls.till.practitioner(WEEKDAYS)

    def in_therapy(self):
        """An enrolled participant with a one-week plan from tomorrow."""
        participant = self.till.enrolled()
        return participant, plan_from_tomorrow(self.till, self.practitioner["id"], participant["id"])

    def attend_sessions(self, participant_id, sessions, day=None):
        attend(self.till, self.clock, participant_id, sessions, day)

    def attend_awareness_day(self, participant_id):
        day, _ = awareness_day_seat(self.till, participant_id)
        self.attend_sessions(participant_id, [], day)

    def complete(self, participant_id):
        return self.till.raw("POST", f"/api/v1/participants/{participant_id}/complete")

    def test_completion_needs_every_criterion_then_issues_the_attestation(self):
        participant, sessions = self.in_therapy()
        pid = participant["id"]
        found = problem(self, self.complete(pid), 409)
        self.assertEqual(found["unmet"], ["awareness_day", "therapy_sessions", "pending_sessions", "fee"], found)

        # Not before they have started: attended is refused, nothing changes.
        found = problem(self, self.till.raw("POST", f"/api/v1/sessions/{sessions[0]['id']}/attendance",
                                            {"status": "attended"}), 409)
        self.assertEqual(found["current_status"], "scheduled", found)
        self.attend_sessions(pid, sessions)
        self.attend_awareness_day(pid)
        found = problem(self, self.complete(pid), 409)
        self.assertEqual(found["unmet"], ["fee"], found)
        self.assertEqual(self.till.participant_status(pid), "in_therapy", "a refused completion changes nothing")

        self.till.paid(pid, 50000)
        status, _, body = self.till.call("POST", f"/api/v1/participants/{pid}/complete")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "completed", body)
        self.assertRegex(body["attestation_number"], r"^A-\d{4}-\d{5}$")
        self.assertEqual(self.till.participant_status(pid), "completed")
        problem(self, self.complete(pid), 409)  # final

        status, headers, first = self.till.raw("GET", f"/api/v1/participants/{pid}/attestation.pdf")
        self.assertEqual(status, 200, first[:300])
        self.assertEqual(headers["content-type"], "application/pdf")
        status, _, second = self.till.raw("GET", f"/api/v1/participants/{pid}/attestation.pdf")
        self.assertEqual(first, second, "the stored attestation is returned byte for byte")
        text = pdf_text(self, first)
        self.assertIn(body["attestation_number"], text)
        self.assertIn(participant["family_name"], text)
        self.assertIn(participant["code"], text)

    def test_a_missed_session_blocks_until_excused(self):
        participant, sessions = self.in_therapy()
        pid = participant["id"]
        self.attend_awareness_day(pid)
        self.till.paid(pid, 50000)
        path = f"/api/v1/sessions/{sessions[0]['id']}/attendance"
        with self.clock.travel(days=10):
            expect(200, self.till.call("POST", path, {"status": "no_show"}), "no-show")
        self.assertEqual(problem(self, self.complete(pid), 409)["unmet"], ["therapy_sessions", "missed_sessions"])
        expect(200, self.till.call("POST", path, {"status": "excused"}), "excused")
        status, _, body = self.till.call("POST", f"/api/v1/participants/{pid}/complete")
        self.assertEqual(status, 200, body)

    def test_only_a_participant_in_therapy_can_complete(self):
        participant = self.till.enrolled()
        found = problem(self, self.complete(participant["id"]), 409)
        self.assertEqual(found["current_status"], "enrolled", found)
        problem(self, self.till.raw("GET", f"/api/v1/participants/{participant['id']}/attestation.pdf"), 404)
        problem(self, self.complete("999999"), 404)


class CompletionSQLiteTests(CompletionMixin, BillingCase):
    pass


class CompletionMariaDBTests(CompletionMixin, MariaDBBillingCase):
    pass


if __name__ == "__main__":
    unittest.main()
