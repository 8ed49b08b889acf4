"""A participant's status transitions lock the participant's row (a write:
version + 1) before they read the status, so parallel requests for one
participant run one after the other, also across daemons: on MariaDB with
two daemons sharing it, 20 parallel completions of one ready participant
give one 200 and one attestation (A-), 20 commitments one enrolment and one
fee invoice (F-), 20 withdrawals one withdrawal and one audit entry, 20
eligibility decisions one decision.

The counts are read from MariaDB itself (root over the server's private
socket)."""

import subprocess
import unittest
import urllib.parse

from billing_fixtures import MariaDBBillingCase, race
from clock_fixtures import attend, awareness_day_seat, plan_from_tomorrow

RACERS = 20
WEEKDAYS = [(d, "09:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")]
COMMITMENT = {"acknowledged_responsibility": True, "signed_on": "2026-11-20", "method": "paper"}


class TransitionRaceTests(MariaDBBillingCase):
    clocked = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.practitioner = cls.till.practitioner(WEEKDAYS)

    def setUp(self):
        self.second = self.second_daemon()

    def sql(self, query, *params):
        """One value of `query` run by root over the socket (params are ints)."""
        query = query % tuple(int(p) for p in params)
        database = urllib.parse.urlsplit(self.mariadb.url).path.lstrip("/")
        done = subprocess.run(["mariadb", "--no-defaults", f"--socket={self.mariadb.dir}/sock", "-uroot", "--batch",
                               "--skip-column-names", database, "-e", query],
                              capture_output=True, text=True, timeout=60, check=True)
        return done.stdout.strip()

    def race_all(self, path, body=None):
        requests = [("POST", path, self.till.coordinator, body) for _ in range(RACERS)]
        results = race([self.daemon, self.second], requests)
        for result in results:
            self.assertNotIsInstance(result, Exception)
        statuses = sorted(status for status, _, _ in results)
        self.assertEqual(statuses.count(200), 1, statuses)
        self.assertEqual(statuses.count(409), RACERS - 1, statuses)
        return results

    def test_parallel_completions_issue_one_attestation(self):
        participant = self.till.enrolled()
        pid = participant["id"]
        sessions = plan_from_tomorrow(self.till, self.practitioner["id"], pid)
        day, _ = awareness_day_seat(self.till, pid)
        attend(self.till, self.clock, pid, sessions, day)
        self.till.paid(pid, 50000)
        self.race_all(f"/api/v1/participants/{pid}/complete")
        self.assertEqual(self.till.participant_status(pid), "completed")
        self.assertEqual(self.sql("SELECT COUNT(*) FROM documents WHERE participant_id = %d AND kind = 'attestation'",
                                  pid), "1")
        self.assertEqual(self.sql("SELECT COUNT(*) FROM documents WHERE participant_id = %d AND number LIKE 'A-%%'",
                                  pid), "1")

    def test_parallel_commitments_issue_one_fee_invoice(self):
        pid = self.till.referred()["id"]
        eligible = self.till.call("POST", f"/api/v1/participants/{pid}/eligibility",
                                  {"decision": "eligible", "offence_involved_minor": False,
                                   "history_of_violence": False})
        self.assertEqual(eligible[0], 200, eligible[2])
        self.race_all(f"/api/v1/participants/{pid}/commitment", COMMITMENT)
        self.assertEqual(self.till.participant_status(pid), "enrolled")
        self.assertEqual(self.sql("SELECT COUNT(*) FROM documents WHERE participant_id = %d AND number LIKE 'F-%%'",
                                  pid), "1")
        self.assertEqual(self.till.account(pid)["balance_cents"], 50000)

    def test_parallel_withdrawals_withdraw_once(self):
        pid = self.till.enrolled()["id"]
        self.race_all(f"/api/v1/participants/{pid}/withdraw", {"reason": "déménagement"})
        self.assertEqual(self.till.participant_status(pid), "withdrawn")
        self.assertEqual(self.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'participant.withdraw'"
                                  " AND subject_id = '%d'", pid), "1")

    def test_parallel_eligibility_decisions_decide_once(self):
        pid = self.till.referred()["id"]
        self.race_all(f"/api/v1/participants/{pid}/eligibility",
                      {"decision": "eligible", "offence_involved_minor": False, "history_of_violence": False})
        self.assertEqual(self.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'participant.eligibility'"
                                  " AND subject_id = '%d'", pid), "1")


if __name__ == "__main__":
    unittest.main()
