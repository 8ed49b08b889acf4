"""Retention (issue 12, points 5 and 6) against the real parcoursd with
`retention.years=0` (closed files are due at once), on SQLite (the database
file and its -wal, byte for byte, after a checkpoint) and on a private
MariaDB (a `mariadb-dump --hex-blob`):

- a dry run lists the closed files (completed, withdrawn, ineligible) and
  changes nothing; open files are never listed;
- a run anonymises them: names, contact details, address, prosecutor
  reference, eligibility notes, withdrawal reason, payment references,
  refund reasons and the participant's sign-in are gone from the API and
  from the database bytes (plain text and the old ciphertexts); the birth
  year stays; the stored PDFs answer 404; documents, payments and the
  account keep their numbers and amounts, with the code in place of the name;
- the one-participation rule still holds: the same person referred again is
  found as an earlier participation;
- two daemons running it at once anonymise each file once (audit entries
  and the counts of both answers add up);
- a daemon killed (SIGKILL) in the middle of a run leaves whole files done
  or untouched, and the next run does the rest, each file once;
- with `retention.run_daily=true` the daemon runs it by itself at start.

Standard library only; loopback only; daemons and MariaDB are the harness's,
stopped by their own handles."""

import signal
import sqlite3
import subprocess
import threading
import time
import unittest

from at_rest_fixtures import MariaDBFromOutside, SQLiteFromOutside, forms
from billing_fixtures import BillingCase, MariaDBBillingCase, Till, expect, program_today
from clock_fixtures import DaemonClock, attend, awareness_day_seat, plan_from_tomorrow
from harness import Daemon
from people_fixtures import PASSWORD, unique_letters
from scheduling_fixtures import call, call_raw, key_file_args

WEEKDAYS = [(d, "09:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")]
RETENTION_NOW = ("--set", "retention.years=0", "--set", "retention.run_daily=false")
INELIGIBLE = {"decision": "ineligible", "offence_involved_minor": False, "history_of_violence": False}


class RetentionTests:
    clocked = True   # completion needs sessions attended in the (test) future

    @classmethod
    def setUpClass(cls):
        url = cls.start_database()
        cls.daemon = Daemon(*RETENTION_NOW, database=url)
        cls.clock = DaemonClock(cls.daemon)
        cls.addClassCleanup(cls.daemon.close)
        cls.daemon.start()
        cls.till = Till(cls.daemon)
        cls.practitioner = cls.till.practitioner(WEEKDAYS)

    # -- daemons -------------------------------------------------------------------

    def another_daemon(self, *settings):
        """Another daemon on the same database with the first one's keys."""
        other = Daemon(*key_file_args(self.daemon), *(settings or RETENTION_NOW), database=self.daemon.database)
        self.clock.attach(other)
        self.addCleanup(other.close)
        other.start()
        return other

    def run_retention(self, dry_run=False, daemon=None):
        path = "/api/v1/retention/run" + ("?dry_run=true" if dry_run else "")
        answer = expect(200, call(daemon or self.daemon, "POST", path, token=self.till.admin), "retention run")
        self.assertEqual(answer["dry_run"], dry_run, answer)
        return answer

    # -- files -----------------------------------------------------------------------

    def referral_body(self, tag):
        phone = "+1 514 " + "".join(str(ord(c) % 10) for c in tag[:7])
        return {"given_name": f"Ghislaine{tag[:4].capitalize()}", "family_name": f"Ouellet{tag[4:].capitalize()}",
                "birth_date": "1979-08-23", "email": f"ghislaine.{tag}@example.org", "phone": phone,
                "address": f"88 rue {tag.capitalize()}\nLaval QC H7N 2X4", "language": "fr",
                "referral": {"source": "DPCP", "reference": f"DPCP-RET-{tag.upper()}", "referred_on": "2026-11-01"}}

    def refer(self, tag=None):
        tag = tag or unique_letters()
        body = self.referral_body(tag)
        participant = expect(201, self.till.call("POST", "/api/v1/participants", body), "refer")
        participant["secrets"] = [body["given_name"], body["family_name"], body["email"], body["address"],
                                  body["referral"]["reference"], body["phone"]]
        participant["tag"] = tag
        return participant

    def eligible_then_enrolled(self, participant):
        self.till.enrol(participant)
        return participant

    def withdrawn_with_money(self):
        """Enrolled (invoice), paid with a reference (receipt), refunded with a
        reason (refund receipt), a sign-in of their own, then withdrawn."""
        p = self.eligible_then_enrolled(self.refer())
        reference = f"chèque {unique_letters()} Ouellet"
        refund_reason = f"remboursement {unique_letters()}"
        withdraw_reason = f"déménage à {unique_letters()}"
        payment = self.till.paid(p["id"], 20000, method="cheque", reference=reference)
        expect(201, self.till.refund(payment["id"], 5000, reason=refund_reason), "refund")
        user, _ = self.till.participant_user(p["id"])
        p["user_email"] = user["email"]
        self.till.withdraw(p["id"], withdraw_reason)
        p["secrets"] += [reference, refund_reason, withdraw_reason]
        return p

    def ineligible_with_notes(self):
        p = self.refer()
        notes = f"note d'admissibilité {unique_letters()}"
        decided = expect(200, self.till.call("POST", f"/api/v1/participants/{p['id']}/eligibility",
                                             dict(INELIGIBLE, notes=notes)), "ineligible")
        self.assertEqual(decided["status"], "ineligible", decided)
        p["secrets"].append(notes)
        return p

    def completed(self):
        p = self.eligible_then_enrolled(self.refer())
        sessions = plan_from_tomorrow(self.till, self.practitioner["id"], p["id"])
        attend(self.till, self.clock, p["id"], sessions)
        day, _ = awareness_day_seat(self.till, p["id"])
        attend(self.till, self.clock, p["id"], [], day)
        self.till.paid(p["id"], 50000)
        done = expect(200, self.till.call("POST", f"/api/v1/participants/{p['id']}/complete"), "complete")
        self.assertEqual(done["status"], "completed", done)
        return p

    def withdrawn_quickly(self):
        p = self.refer()
        self.till.withdraw(p["id"], "sans suite")
        return p

    def participant(self, pid):
        return expect(200, self.till.call("GET", f"/api/v1/participants/{pid}"), "GET participant")

    def document_numbers(self, pid):
        return [row[0] for row in self.sql(f"SELECT number FROM documents WHERE participant_id = {int(pid)}"
                                           f" ORDER BY id")]

    def anonymise_entries(self, pid):
        page = expect(200, call(self.daemon, "GET", f"/api/v1/audit?subject=participant:{pid}&limit=500",
                                token=self.till.admin), "audit")
        return [e for e in page["items"] if e["action"] == "participant.anonymise"]

    def anonymised_count(self, ids):
        listed = ",".join(str(int(i)) for i in ids)
        return int(self.sql(f"SELECT count(*) FROM participants WHERE anonymised_at IS NOT NULL"
                            f" AND id IN ({listed})")[0][0])

    # -- the database from outside ------------------------------------------------------

    def ciphertexts(self, pid):
        """Slices of every stored ciphertext of the file's personal data and PDFs (hex)."""
        pid = int(pid)
        rows = self.sql("SELECT hex(given_name_enc), hex(family_name_enc), hex(birth_date_enc), hex(email_enc),"
                        " hex(address_enc), hex(referral_reference_enc), hex(eligibility_notes_enc),"
                        f" hex(withdrawal_reason_enc) FROM participants WHERE id = {pid}")
        rows += self.sql("SELECT hex(p.pdf_enc) FROM document_pdfs p JOIN documents d ON d.number = p.number"
                         f" WHERE d.participant_id = {pid}")
        rows += self.sql(f"SELECT hex(content_enc) FROM documents WHERE participant_id = {pid}")
        rows += self.sql(f"SELECT hex(reference_enc) FROM payments WHERE participant_id = {pid}")
        rows += self.sql(f"SELECT hex(reason_enc) FROM refunds WHERE participant_id = {pid}")
        rows += self.sql(f"SELECT hex(email_enc) FROM users WHERE participant_id = {pid}")
        found = []
        for row in rows:
            for value in row:
                if value:   # 24 bytes from the middle: past any header, inside the sealed bytes
                    raw = bytes.fromhex(value)
                    middle = len(raw) // 2
                    found.append(raw[max(0, middle - 12):middle + 12])
        return found

    def assert_gone_from_database(self, needles, what):
        data = self.database_bytes()
        for needle in needles:
            for form in forms(needle):
                # assertFalse, not assertNotIn: a failure must not print the whole database
                self.assertFalse(form in data, f"{what} is still in the database ({form[:60]!r})")

    # -- tests -------------------------------------------------------------------------

    def test_a_run_anonymises_closed_files_and_keeps_the_money(self):
        withdrawn = self.withdrawn_with_money()
        ineligible = self.ineligible_with_notes()
        completed = self.completed()
        still_open = self.eligible_then_enrolled(self.refer())
        closed = [withdrawn, ineligible, completed]
        closed_ids = {p["id"] for p in closed}

        account_before = self.till.account(withdrawn["id"])
        numbers = {p["id"]: self.document_numbers(p["id"]) for p in closed}
        self.assertTrue(numbers[withdrawn["id"]] and numbers[completed["id"]], numbers)
        amounts = {n: self.till.document(n)["total_cents"] for ns in numbers.values() for n in ns}
        for n in numbers[withdrawn["id"]]:
            self.assertEqual(call_raw(self.daemon, "GET", f"/api/v1/documents/{n}.pdf", token=self.till.finance)[0],
                             200)
        old_ciphertexts = [c for p in closed for c in self.ciphertexts(p["id"])]
        self.assertGreater(len(old_ciphertexts), 10)
        before = self.database_bytes()
        self.assertTrue(all(any(f in before for f in forms(c)) for c in old_ciphertexts),
                        "the ciphertexts are found where they are stored (the check below can fail)")

        # A dry run lists them and changes nothing.
        dry = self.run_retention(dry_run=True)
        listed = {f["participant_id"]: f for f in dry["files"]}
        self.assertTrue(closed_ids <= set(listed), dry)
        self.assertNotIn(still_open["id"], listed)
        self.assertEqual(listed[withdrawn["id"]]["status"], "withdrawn")
        self.assertEqual(listed[ineligible["id"]]["status"], "ineligible")
        self.assertEqual(listed[completed["id"]]["status"], "completed")
        self.assertEqual(listed[completed["id"]]["code"], completed["code"])
        for f in (listed[i] for i in closed_ids):
            self.assertEqual(f["closed_on"], program_today().isoformat(), f)
        self.assertEqual(self.anonymised_count(closed_ids), 0, "a dry run anonymises nothing")
        self.assertEqual(self.participant(withdrawn["id"])["given_name"], withdrawn["secrets"][0])
        self.assertEqual(self.run_retention(dry_run=True)["files"], dry["files"], "and can be repeated")

        ran = self.run_retention()
        self.assertTrue(closed_ids <= {f["participant_id"] for f in ran["files"]}, ran)
        self.assertEqual(self.run_retention(dry_run=True)["files"], [], "nothing is due any more")

        # The API shows the code only.
        for p in closed:
            seen = self.participant(p["id"])
            self.assertEqual(seen["code"], p["code"])
            self.assertIn("anonymised_at", seen)
            self.assertEqual(seen["birth_year"], 1979, "the birth year is kept")
            for key in ("given_name", "family_name", "email", "phone", "address", "birth_date", "referral"):
                self.assertNotIn(key, seen)
            self.assertEqual(len(self.anonymise_entries(p["id"])), 1, "one audit entry per file")
        listing = expect(200, self.till.call("GET", "/api/v1/participants?limit=500"), "list")
        text = str(listing)
        for p in closed:
            for secret in p["secrets"]:
                self.assertFalse(secret in text, f"{secret} is still listed")

        # The money stays: the account, the documents' numbers and amounts, the code in place of the name.
        self.assertEqual(self.till.account(withdrawn["id"]), account_before)
        payments = self.till.payments(participant_id=withdrawn["id"])
        self.assertEqual([p["amount_cents"] for p in payments], [20000])
        self.assertIsNone(payments[0].get("reference"), payments[0])
        for pid, ns in numbers.items():
            self.assertEqual(self.document_numbers(pid), ns)
            for n in ns:
                document = self.till.document(n)
                self.assertEqual(document["total_cents"], amounts[n])
                party = document["content"]["participant"]
                code = next(p["code"] for p in closed if p["id"] == pid)
                self.assertEqual((party["code"], party["given_name"], party["family_name"], party["address"]),
                                 (code, code, "", None))
                self.assertFalse(withdrawn["secrets"][6] in str(document["content"]), n)
                status, _, _ = call_raw(self.daemon, "GET", f"/api/v1/documents/{n}.pdf", token=self.till.finance)
                self.assertEqual(status, 404, f"the PDF of {n} is destroyed")
        status, _, _ = self.till.raw("GET", f"/api/v1/participants/{completed['id']}/attestation.pdf")
        self.assertEqual(status, 404)
        status, _, statement = call_raw(self.daemon, "GET", f"/api/v1/participants/{withdrawn['id']}/statement.pdf",
                                        token=self.till.finance)
        self.assertEqual(status, 200, "the account's statement is still made, under the code")
        self.assertTrue(statement.startswith(b"%PDF-"))

        # Their own sign-in is gone.
        status, _, _ = call(self.daemon, "POST", "/api/v1/auth/login",
                            body={"email": withdrawn["user_email"], "password": PASSWORD})
        self.assertEqual(status, 401)

        # The open file is untouched.
        self.assertEqual(self.participant(still_open["id"])["given_name"], still_open["secrets"][0])
        self.assertEqual(self.participant(still_open["id"])["status"], "enrolled")

        # Nothing of them is left in the database's bytes.
        self.checkpoint()
        self.assert_gone_from_database([s for p in closed for s in p["secrets"]], "a personal value")
        self.assert_gone_from_database(old_ciphertexts, "an erased ciphertext")

        # A restarted daemon (start-up steps) does not bring PDFs back.
        self.another_daemon()
        n = numbers[withdrawn["id"]][0]
        self.assertEqual(call_raw(self.daemon, "GET", f"/api/v1/documents/{n}.pdf", token=self.till.finance)[0], 404)

    def test_the_same_person_referred_again_is_still_an_earlier_participation(self):
        first = self.completed()
        self.run_retention()
        self.assertIn("anonymised_at", self.participant(first["id"]))
        again = self.refer(first["tag"])
        decided = expect(200, self.till.call("POST", f"/api/v1/participants/{again['id']}/eligibility",
                                             {"decision": "eligible", "offence_involved_minor": False,
                                              "history_of_violence": False}), "eligibility")
        self.assertEqual(decided["status"], "ineligible", decided)
        self.assertIn("earlier_participation", decided["ineligibility_reasons"])
        self.run_retention()   # the new, ineligible file is closed too: leave nothing closed behind

    def test_only_admin_runs_it_and_bad_values_are_400(self):
        for role_token in (self.till.coordinator, self.till.finance):
            status, _, _ = call(self.daemon, "POST", "/api/v1/retention/run?dry_run=true", token=role_token)
            self.assertEqual(status, 403)
        status, _, _ = call(self.daemon, "POST", "/api/v1/retention/run?dry_run=maybe", token=self.till.admin)
        self.assertEqual(status, 400)

    def test_two_daemons_at_once_anonymise_each_file_once(self):
        files = [self.withdrawn_quickly() for _ in range(25)]
        ids = {p["id"] for p in files}
        second = self.another_daemon()
        runs_before = {e["id"] for e in self.run_entries()}
        answers = [None, None]
        barrier = threading.Barrier(2)

        def run(i, daemon):
            barrier.wait(30)
            answers[i] = call(daemon, "POST", "/api/v1/retention/run", token=self.till.admin)

        threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate((self.daemon, second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
        self.assertEqual([a[0] for a in answers], [200, 200], answers)
        done = [f["participant_id"] for a in answers for f in a[2]["files"] if f["participant_id"] in ids]
        self.assertEqual(sorted(done), sorted(ids), "each file anonymised by exactly one of the runs")
        for pid in ids:
            self.assertEqual(len(self.anonymise_entries(pid)), 1, pid)
        # Each run is audited with its counts (never a name); together they add up.
        runs = [e for e in self.run_entries() if e["id"] not in runs_before]
        self.assertEqual(len(runs), 2, runs)
        counts = [int(dict(part.split("=") for part in e["detail"].split())["anonymised"]) for e in runs]
        every = [f["participant_id"] for a in answers for f in a[2]["files"]]   # other tests' closed files too
        self.assertEqual(len(every), len(set(every)), "no file in both answers")
        self.assertEqual(sum(counts), len(every), runs)

    def run_entries(self):
        page = expect(200, call(self.daemon, "GET", "/api/v1/audit?subject=retention:run&limit=500",
                                token=self.till.admin), "audit")
        return [e for e in page["items"] if e["action"] == "retention.run"]

    def run_until_killed(self, victim):
        try:
            call(victim, "POST", "/api/v1/retention/run", token=self.till.admin)
        except OSError:
            pass   # the daemon is killed before it answers: expected

    def test_a_run_killed_half_way_resumes(self):
        files = [self.withdrawn_quickly() for _ in range(self.files_for_the_kill)]
        ids = sorted(int(p["id"]) for p in files)
        victim = self.another_daemon()
        stopper = self.stop_half_way(ids)
        try:
            threading.Thread(target=self.run_until_killed, args=(victim,), daemon=True).start()
            stopper.wait_for_progress()
            victim.send_signal(signal.SIGKILL)
            victim.wait(30)
        finally:
            stopper.release()
        done = self.anonymised_count(ids)
        self.assertGreater(done, 0, "the run had started")
        self.assertLess(done, len(ids), "the run was stopped half-way")
        partial = done
        # Whole files only: each one anonymised is anonymised everywhere, with its audit entry.
        for pid in ids:
            entries = len(self.anonymise_entries(pid))
            anonymised = "anonymised_at" in self.participant(pid)
            self.assertEqual(entries, 1 if anonymised else 0, pid)

        resumed = self.run_retention()
        again = [f["participant_id"] for f in resumed["files"] if int(f["participant_id"]) in ids]
        self.assertEqual(len(again), len(ids) - partial, "the next run does the rest")
        self.assertEqual(self.anonymised_count(ids), len(ids))
        for pid in ids:
            self.assertEqual(len(self.anonymise_entries(pid)), 1, pid)

    def test_with_the_default_seven_years_a_file_closed_today_is_not_due(self):
        p = self.withdrawn_quickly()
        seven = self.another_daemon("--set", "retention.run_daily=false")
        listed = {f["participant_id"] for f in self.run_retention(dry_run=True, daemon=seven)["files"]}
        self.assertNotIn(p["id"], listed)
        ran = {f["participant_id"] for f in self.run_retention(daemon=seven)["files"]}
        self.assertNotIn(p["id"], ran)
        self.assertIn("given_name", self.participant(p["id"]))
        self.run_retention()   # due at once under retention.years=0: leave nothing closed behind

    def test_the_daemon_runs_it_by_itself_when_told_to(self):
        p = self.withdrawn_quickly()
        self.another_daemon("--set", "retention.years=0", "--set", "retention.run_daily=true")
        deadline = time.monotonic() + 30
        while "anonymised_at" not in self.participant(p["id"]) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertIn("anonymised_at", self.participant(p["id"]))
        self.assertEqual(len(self.anonymise_entries(p["id"])), 1)


class SqliteProgressWatch:
    """Watches the database file until the run has anonymised a first file
    (the test then kills the daemon at once, while the run goes on)."""

    def __init__(self, test, ids):
        self.ids = ids
        path = test.daemon.database[len("sqlite:"):]
        self.connection = sqlite3.connect(path, timeout=60, isolation_level=None)

    def wait_for_progress(self):
        listed = ",".join(map(str, self.ids))
        query = f"SELECT count(*) FROM participants WHERE anonymised_at IS NOT NULL AND id IN ({listed})"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.connection.execute(query).fetchone()[0] > 0:
                return
        raise AssertionError("the run never started")

    def release(self):
        self.connection.close()


class RetentionOnSqlite(SQLiteFromOutside, RetentionTests, BillingCase):
    def checkpoint(self):
        busy = self.sql("PRAGMA wal_checkpoint(TRUNCATE)")[0][0]
        self.assertEqual(busy, "0", "the checkpoint ran to the end")

    files_for_the_kill = 300

    def stop_half_way(self, ids):
        return SqliteProgressWatch(self, ids)


class MariaDBRowBlocker:
    """Locks the row of the file in the middle (a client's open transaction),
    so the run anonymises the files before it and then waits there."""

    def __init__(self, test, ids):
        self.test, self.ids = test, ids
        self.middle = ids[len(ids) // 2]
        self.client = subprocess.Popen(
            ["mariadb", "--no-defaults", f"--socket={test.mariadb.dir}/sock", "-uroot", "parcours"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.client.stdin.write(f"BEGIN; SELECT id FROM participants WHERE id = {self.middle} FOR UPDATE;\n".encode())
        self.client.stdin.flush()
        time.sleep(1)

    def wait_for_progress(self):
        before = sum(1 for i in self.ids if i < self.middle)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.test.anonymised_count(self.ids) >= before:
                time.sleep(0.5)   # the run now waits for the locked row
                return
            time.sleep(0.1)
        raise AssertionError("the run did not reach the locked file")

    def release(self):
        self.client.stdin.close()   # the session ends: its transaction rolls back
        self.client.wait(30)


class RetentionOnMariaDB(MariaDBFromOutside, RetentionTests, MariaDBBillingCase):
    def checkpoint(self):
        pass   # the dump reads rows, not pages: docs/operations.md says what an operator does about pages and logs

    files_for_the_kill = 40

    def stop_half_way(self, ids):
        return MariaDBRowBlocker(self, ids)


if __name__ == "__main__":
    unittest.main()
