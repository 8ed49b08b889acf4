"""Finance under concurrency and failure (docs/finance.md), on SQLite and on a
private MariaDB:

  * two overlapping statements imported at the same moment — on MariaDB
    through two daemons sharing the database — add each line exactly once;
  * a match and an unmatch racing on one line leave it in one consistent
    state: matched with its payment seen at the bank, or unmatched with the
    payment free again (never half of each);
  * kill -9 of parcoursd during a large import leaves, after a restart,
    either the whole file or nothing of it.

Standard library only; loopback only; every process is stopped by its own PID."""

import concurrent.futures
import json
import sys
import threading
import time
import unittest

from billing_fixtures import BillingCase, MariaDBBillingCase, expect, key_header, new_key
from finance_fixtures import Cashier, days_ago, line, rbc_csv
from harness import Daemon, private_mariadb
from test_billing_crash import RestartedDaemon

ROUNDS = 3
CRASH_LINES = 20000         # ~1.8 MB of RBC CSV: an import that takes a while
CRASH_FRACTIONS = (0.3, 0.6, 0.9)  # of a measured import of the same size: kills land inside it


def tagged_lines(tag, first, last):
    """Unrelated bank lines tag-first .. tag-last (inclusive), one a day back."""
    return [line(days_ago(1 + i % 40), 1000 + i, "DEPOT DIVERS", f"{tag}-{i:05d}") for i in range(first, last + 1)]


class FinanceRaces:

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cash = Cashier(cls.daemon)

    def other_daemon(self):
        """A second daemon on the same database when it is MariaDB; else the same one."""
        return self.second_daemon() if self.daemon.database else self.daemon

    def upload_on(self, daemon, data):
        return daemon.request("POST", "/api/v1/bank-statements?profile=rbc", body=data,
                              headers={"Content-Type": "text/csv", "Authorization": f"Bearer {self.cash.finance}"},
                              timeout=120)

    def lines_tagged(self, tag):
        return [l for l in self.cash.bank_lines() if l["description"].split()[-1].startswith(tag + "-")]

    def test_overlapping_imports_at_once_add_each_line_once(self):
        second = self.other_daemon()
        for round_ in range(ROUNDS):
            tag = f"OVL{round_}{new_key()[:6]}"
            a = rbc_csv(tagged_lines(tag, 0, 299))
            b = rbc_csv(tagged_lines(tag, 150, 449))
            barrier = threading.Barrier(2)

            def send(daemon, data):
                barrier.wait(10)
                return self.upload_on(daemon, data)

            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                answers = list(pool.map(lambda job: send(*job), [(self.daemon, a), (second, b)]))
            for status, _, raw in answers:
                self.assertEqual(status, 201, raw[:500])
            new = sum(json.loads(raw)["new_lines"] for _, _, raw in answers)
            self.assertEqual(new, 450, [raw for _, _, raw in answers])
            seen = [l["description"].split()[-1] for l in self.lines_tagged(tag)]
            self.assertEqual(len(seen), 450)
            self.assertEqual(len(set(seen)), 450, "a line was stored twice")

    def test_match_and_unmatch_racing_leave_one_state(self):
        participant, _ = self.cash.on_plan()
        second = self.other_daemon()
        for round_ in range(ROUNDS * 3):
            payment = expect(201, self.cash.pay(participant["id"], 2000 + round_, "cash",
                                                received_on=days_ago(2).isoformat()), "cash")
            tag = f"RACE{round_}{new_key()[:6]}"
            self.cash.imported([line(days_ago(1), 2000 + round_, "DEPOT", f"{tag}-00001")])
            line_id = self.lines_tagged(tag)[0]["id"]
            if round_ % 2:
                expect(200, self.cash.match(line_id, {"payment_ids": [payment["id"]]}), "first match")
            barrier = threading.Barrier(2)

            def act(job):
                daemon, method = job
                barrier.wait(10)
                body = {"payment_ids": [payment["id"]]} if method == "POST" else None
                headers = {"Authorization": f"Bearer {self.cash.finance}", "Idempotency-Key": new_key()}
                if body is not None:
                    headers["Content-Type"] = "application/json"
                return daemon.request(method, f"/api/v1/bank-lines/{line_id}/match",
                                      body=json.dumps(body).encode() if body else None, headers=headers)[0]

            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                statuses = list(pool.map(act, [(self.daemon, "POST"), (second, "DELETE")]))
            for status in statuses:
                self.assertIn(status, (200, 409), statuses)
            state = self.cash.bank_line(line_id)
            # The payment is free exactly when the line is not matched: a deposit takes it only then.
            free = self.cash.deposit("cash", [payment["id"]], days_ago(1))[0] == 201
            if state["status"] == "matched":
                self.assertEqual(state["match"]["payments"], [payment["id"]], state)
                self.assertFalse(free, "a matched payment was put in a deposit")
            else:
                self.assertEqual(state["status"], "unmatched", state)
                self.assertIsNone(state["match"], state)
                self.assertTrue(free, "an unmatched line kept its payment")


class FinanceCrash:
    """kill -9 during an import: after a restart the whole file or nothing.
    One daemon, killed and restarted in its folder (same keys) per attempt;
    the kills land at fractions of the time a first import of the same size
    took."""

    @staticmethod
    def upload_whole(daemon, cash, data):
        return daemon.request("POST", "/api/v1/bank-statements?profile=rbc", body=data,
                              headers={"Content-Type": "text/csv", "Authorization": f"Bearer {cash.finance}"},
                              timeout=120)

    def test_kill_during_import_leaves_all_or_nothing(self):
        daemon = Daemon("--set", "http.max_body_bytes=4194304", database=self.start_url())
        self.addCleanup(daemon.close)
        daemon.start()
        cash = Cashier(daemon)
        started = time.monotonic()
        status, _, raw = self.upload_whole(daemon, cash, rbc_csv(tagged_lines("WARM" + new_key()[:6], 0,
                                                                              CRASH_LINES - 1)))
        took = time.monotonic() - started
        self.assertEqual(status, 201, raw[:300])
        sys.stderr.write(f"\n    an import of {CRASH_LINES} lines took {took:.2f}s")
        for attempt, fraction in enumerate(CRASH_FRACTIONS):
            delay = took * fraction
            tag = f"KILL{attempt}{new_key()[:6]}"
            data = rbc_csv(tagged_lines(tag, 0, CRASH_LINES - 1))
            current = cash.daemon

            def upload():
                try:
                    return current.request("POST", "/api/v1/bank-statements?profile=rbc", body=data,
                                           headers={"Content-Type": "text/csv",
                                                    "Authorization": f"Bearer {cash.finance}"}, timeout=120)[0]
                except Exception as error:  # cut by the kill
                    return error

            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                sent = pool.submit(upload)
                time.sleep(delay)
                current.stop(sig=9)
                outcome = sent.result(timeout=60)
            restarted = RestartedDaemon(current)
            self.addCleanup(restarted.close)
            restarted.start()
            cash.daemon = restarted
            stored = [l for l in cash.bank_lines() if l["description"].split()[-1].startswith(tag + "-")]
            sys.stderr.write(f"\n    kill after {delay:.2f}s: answer {outcome!r:.60}, {len(stored)} of {CRASH_LINES} lines kept")
            self.assertIn(len(stored), (0, CRASH_LINES), f"after kill at {delay}s ({outcome!r})")
            if outcome == 201:
                self.assertEqual(len(stored), CRASH_LINES, "an acknowledged import was lost")


class SQLiteFinanceRaces(FinanceRaces, BillingCase):
    pass


class MariaDBFinanceRaces(FinanceRaces, MariaDBBillingCase):
    pass


class SQLiteFinanceCrash(FinanceCrash, unittest.TestCase):
    def start_url(self):
        return None


class MariaDBFinanceCrash(FinanceCrash, unittest.TestCase):
    def start_url(self):
        return private_mariadb(type(self))


if __name__ == "__main__":
    unittest.main()
