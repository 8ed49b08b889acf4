"""Privacy at rest (issue 9, points 1, 2 and 19) against the real parcoursd,
on SQLite (the database file and its -wal, byte for byte) and on a private
MariaDB (a `mariadb-dump --hex-blob` through the server's own socket):

- the SHA-256 of a downloaded PDF, and of a document's content, appears
  nowhere in the database, neither as hex nor as its 32 raw bytes: stored
  digests are keyed; downloads still check them;
- a session's cancellation reason, a practitioner's time-off reason, a
  payment's reference and a refund's reason are not in the database in
  clear; the reason is shown to the
  coordinator, the session's practitioner and its participant, not to admin
  or finance, who otherwise see the session;
- a page of payments writes a `payment.list` audit entry per participant,
  with a count and never the reference;
- an encrypted value copied from one participant's row to another's does
  not decrypt there: reading that participant answers a 500 problem with a
  request id (an integrity failure on the server), never the other person's
  data, and the daemon keeps serving;
- rows written before (plain digests, reasons in clear, a plain request
  digest of an Idempotency-Key) keep working, and the next daemon to start
  converts them.

Standard library only; loopback only; daemons and MariaDB are the harness's,
stopped by their own handles."""

import datetime
import hashlib
import json
import unittest
import urllib.parse

from billing_fixtures import BillingCase, MariaDBBillingCase, expect, new_key
from at_rest_fixtures import MariaDBFromOutside, SQLiteFromOutside, forms
from harness import assert_problem
from people_fixtures import encode_body, unique_letters
from scheduling_fixtures import call, call_raw

WEEKDAYS = [(d, "09:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")]


def yesterday_mdy():
    day = datetime.date.today() - datetime.timedelta(days=1)
    return f"{day.month}/{day.day}/{day.year}"


class PrivacyAtRest(SQLiteFromOutside, BillingCase):
    """On SQLite."""

    # -- helpers -------------------------------------------------------------------

    def download(self, number, token=None):
        status, headers, body = call_raw(self.daemon, "GET", f"/api/v1/documents/{urllib.parse.quote(number)}.pdf",
                                         token=token or self.till.finance)
        self.assertEqual(status, 200, body[:300])
        self.assertTrue(body.startswith(b"%PDF-"), body[:20])
        return body

    def paid_participant(self, reference):
        participant = self.till.enrolled()
        payment = self.till.paid(participant["id"], 12345, method="cheque", reference=reference)
        return participant, payment

    def cancelled_session(self, reason, start):
        """A session booked at `start` then cancelled by its practitioner with
        `reason` → (session, participant, practitioner token, participant token)."""
        practitioner = self.till.practitioner(WEEKDAYS)
        participant = self.till.enrolled()
        session = expect(201, self.till.book(practitioner["id"], participant["id"], start), "book")
        _, practitioner_token = self.till.practitioner_user(practitioner["id"])
        _, participant_token = self.till.participant_user(participant["id"])
        cancelled = expect(200, call(self.daemon, "POST", f"/api/v1/sessions/{session['id']}/cancel",
                                     token=practitioner_token, body={"reason": reason, "by": "practitioner"}),
                           "cancel")
        self.assertEqual(cancelled["status"], "cancelled", cancelled)
        self.assertEqual(cancelled.get("cancel_reason"), reason, "the practitioner who cancels reads the reason")
        return session, participant, practitioner_token, participant_token

    def session_as(self, token, participant_id, session_id):
        page = expect(200, call(self.daemon, "GET", f"/api/v1/sessions?participant_id={participant_id}&limit=500",
                                token=token), "GET /sessions")
        found = [s for s in page["items"] if s["id"] == session_id]
        self.assertEqual(len(found), 1, page)
        return found[0]

    # -- point 1: keyed digests ------------------------------------------------------

    def test_digests_of_pdfs_and_documents_are_not_in_the_database(self):
        participant, payment = self.paid_participant(f"CHQ-{unique_letters(10)}")
        refund = expect(201, self.till.refund(payment["id"], 2345, reason=f"trop-perçu {unique_letters(10)}"),
                        "refund")
        invoices = self.till.invoices(participant["id"])
        numbers = [payment["receipt_number"], refund["number"]] + [i["number"] for i in invoices]
        self.assertEqual(len(numbers), 3, numbers)
        for number in numbers:
            pdf = self.download(number)
            self.assertEqual(self.download(number), pdf, "a stored PDF comes back byte for byte (its check passes)")
            digest = hashlib.sha256(pdf)
            self.assert_not_stored(digest.digest(), f"the raw SHA-256 of {number}.pdf")
            self.assert_not_stored(digest.hexdigest(), f"the hex SHA-256 of {number}.pdf")
            document = self.till.document(number)
            self.assertRegex(document["sha256"], r"^[0-9a-f]{64}$")
            self.assert_not_stored(document["sha256"], f"the SHA-256 of {number}'s content")
            self.assert_not_stored(bytes.fromhex(document["sha256"]), f"the raw SHA-256 of {number}'s content")

    # -- point 2: free text encrypted, reasons shown to few ------------------------------

    def test_payment_reference_and_refund_reason_are_not_in_the_database(self):
        reference = f"Chèque de {unique_letters(12)}"
        reason = f"Trop-perçu, famille {unique_letters(12)}"
        _, payment = self.paid_participant(reference)
        self.assertEqual(payment["reference"], reference)
        expect(201, self.till.refund(payment["id"], 1000, reason=reason), "refund")
        self.assert_not_stored(reference, "the payment reference")
        self.assert_not_stored(reason, "the refund reason")

    def test_bank_lines_are_sealed_and_their_reads_audited(self):
        payer = f"Payeur {unique_letters(12)}"
        message = f"Message {unique_letters(12)}"
        statement = (f'"Account Type","Account Number","Transaction Date","Cheque Number","Description 1",'
                     f'"Description 2","CAD$","USD$"\r\nChequing,01234-5012345,{yesterday_mdy()},,"{payer}",'
                     f'"{message}",45.67,\r\n').encode()
        status, _, raw = self.daemon.request("POST", "/api/v1/bank-statements?profile=rbc", body=statement,
                                             headers={"Content-Type": "text/csv",
                                                      "Authorization": f"Bearer {self.till.finance}"})
        self.assertEqual(status, 201, raw[:300])
        lines = expect(200, call(self.daemon, "GET", "/api/v1/bank-lines?limit=500", token=self.till.finance),
                       "lines")["items"]
        self.assertTrue(any(payer in l["description"] and message in l["description"] for l in lines))
        self.assert_not_stored(payer, "a bank line's payer")
        self.assert_not_stored(message, "a bank line's message")
        audit = expect(200, call(self.daemon, "GET", "/api/v1/audit?limit=200", token=self.till.admin), "audit")
        listed = [e for e in audit["items"] if e["action"] == "bank_line.list"]
        self.assertTrue(listed, "the read of bank lines is audited")
        self.assertFalse(any(payer in json.dumps(e) for e in audit["items"]), "the audit names no payer")
        self.assertNotIn(payer, self.daemon.log_text(), "the log names no payer")

    def time_off(self, reason, day):
        practitioner = self.till.practitioner(WEEKDAYS)
        answer = expect(201, self.till.call("POST", f"/api/v1/practitioners/{practitioner['id']}/time-off",
                                            {"start_date": day, "end_date": day, "reason": reason}), "time off")
        return answer

    def test_time_off_reason_is_not_in_the_database(self):
        reason = f"Chirurgie {unique_letters(12)}"
        self.time_off(reason, "2027-06-07")
        self.assert_not_stored(reason, "the time-off reason")

    def test_cancellation_reason_is_encrypted_and_shown_only_to_coordinator_practitioner_participant(self):
        reason = f"Hospitalisation, suivi {unique_letters(12)}"
        session, participant, practitioner_token, participant_token = self.cancelled_session(
            reason, "2027-05-04T10:00:00-04:00")
        self.assert_not_stored(reason, "the cancellation reason")
        pid, sid = participant["id"], session["id"]
        for who, token in (("coordinator", self.till.coordinator), ("practitioner", practitioner_token),
                           ("participant", participant_token)):
            seen = self.session_as(token, pid, sid)
            self.assertEqual(seen.get("cancel_reason"), reason, f"{who} reads the reason")
            self.assertEqual(seen["status"], "cancelled")
        for who, token in (("admin", self.till.admin), ("finance", self.till.finance)):
            seen = self.session_as(token, pid, sid)
            self.assertEqual(seen["status"], "cancelled", f"{who} still sees the session")
            self.assertEqual(seen.get("cancelled_by"), "practitioner")
            self.assertNotIn("cancel_reason", seen, f"{who} must not read the reason")

    def test_a_page_of_payments_is_audited_without_references(self):
        reference = f"REF-{unique_letters(12)}"
        participant, _ = self.paid_participant(reference)
        pid = participant["id"]
        self.till.paid(pid, 1000, method="cash")
        status, headers, page = call(self.daemon, "GET", f"/api/v1/payments?participant_id={pid}&limit=500",
                                     token=self.till.finance)
        self.assertEqual(status, 200, page)
        self.assertEqual(len(page["items"]), 2, page)
        audit = expect(200, call(self.daemon, "GET", f"/api/v1/audit?subject=participant:{pid}&limit=500",
                                 token=self.till.admin), "GET /audit")["items"]
        listed = [a for a in audit if a["action"] == "payment.list"]
        self.assertEqual(len(listed), 1, audit)
        self.assertEqual(listed[0]["detail"], "payments=2", listed)
        self.assertEqual(listed[0]["actor"], self.till.finance_user["id"], listed)
        self.assertEqual(listed[0]["request_id"], headers["x-request-id"], listed)
        for entry in audit:
            self.assertNotIn(reference, str(entry), "an audit entry never holds a reference")

    # -- point 19: values bound to their row ---------------------------------------------

    def test_a_value_copied_to_another_participant_does_not_decrypt_there(self):
        source, target = self.till.referred(), self.till.referred()
        read = "SELECT hex(family_name_enc) FROM participants WHERE id = {}"
        stolen = self.sql(read.format(int(source["id"])))[0][0]
        own = self.sql(read.format(int(target["id"])))[0][0]
        self.sql(f"UPDATE participants SET family_name_enc = X'{stolen}' WHERE id = {int(target['id'])}")
        self.addCleanup(self.sql, f"UPDATE participants SET family_name_enc = X'{own}' WHERE id = {int(target['id'])}")

        status, headers, body = call_raw(self.daemon, "GET", f"/api/v1/participants/{target['id']}",
                                         token=self.till.coordinator)
        problem = assert_problem(self, status, headers, body, 500)
        self.assertIn(headers["x-request-id"], problem["detail"], "the problem quotes the request id")
        for name in (source["family_name_sent"], source["given_name_sent"], target["given_name_sent"]):
            self.assertNotIn(name.encode(), body, "the answer holds nobody's data")
        self.assertNotIn(source["family_name_sent"], self.daemon.log_text(), "nor does the log")
        # The source row still reads; the daemon goes on serving.
        mine = expect(200, self.till.call("GET", f"/api/v1/participants/{source['id']}"), "GET source")
        self.assertEqual(mine["family_name"], source["family_name_sent"])
        self.assertTrue(self.daemon.alive())

    # -- rows written before ----------------------------------------------------------------

    def test_rows_written_before_keep_working_and_are_converted_at_start(self):
        participant = self.till.enrolled()
        body = self.till.payment_body(participant["id"], 5000, method="cheque", reference=f"CHQ-{unique_letters()}")
        key = new_key()
        first = expect(201, self.till.post_payment(body, key=key), "payment")
        number = first["receipt_number"]
        pdf = self.download(number)
        content_sha = self.till.document(number)["sha256"]
        reason = f"Raison ancienne {unique_letters(12)}"
        session, _, _, _ = self.cancelled_session(f"placeholder {unique_letters()}", "2027-05-05T10:00:00-04:00")
        request_sha = hashlib.sha256(b"POST /api/v1/payments\n" + encode_body(body)).hexdigest()
        key_hash = hashlib.sha256(key.encode()).hexdigest()

        # As an earlier version left them: plain SHA-256 digests, a reason in clear.
        self.sql(f"UPDATE documents SET content_sha256 = '{content_sha}', digest_kind = 0 WHERE number = '{number}'")
        self.sql(f"UPDATE document_pdfs SET pdf_sha256 = '{hashlib.sha256(pdf).hexdigest()}', digest_kind = 0"
                 f" WHERE number = '{number}'")
        self.sql(f"UPDATE sessions SET cancel_reason = '{reason}', cancel_reason_enc = NULL"
                 f" WHERE id = {int(session['id'])}")
        self.sql(f"UPDATE idempotency_keys SET request_sha256 = '{request_sha}', request_digest_kind = 0"
                 f" WHERE key_hash = '{key_hash}'")
        time_off = self.time_off(f"placeholder {unique_letters()}", "2027-06-08")
        self.sql(f"UPDATE time_off SET reason = 'Congé {unique_letters()}', reason_enc = NULL"
                 f" WHERE id = {int(time_off['id'])}")

        def still_works(daemon):
            status, _, again = call_raw(daemon, "GET", f"/api/v1/documents/{number}.pdf", token=self.till.finance)
            self.assertEqual((status, again), (200, pdf), "the PDF passes its check")
            self.assertEqual(expect(200, call(daemon, "GET", f"/api/v1/documents/{number}", token=self.till.finance),
                                    "GET document")["sha256"], content_sha)
            replay = expect(201, call(daemon, "POST", "/api/v1/payments", token=self.till.finance, body=body,
                                      headers={"Idempotency-Key": key}), "replay")
            self.assertEqual(replay, first, "the same key and request replay the first answer")
            other = dict(body, amount_cents=5001)
            status, _, _ = call(daemon, "POST", "/api/v1/payments", token=self.till.finance, body=other,
                                headers={"Idempotency-Key": key})
            self.assertEqual(status, 409, "the same key with another request")
            seen = [s for s in self.till.sessions(participant_id=session["participant_id"]) if s["id"] == session["id"]]
            self.assertEqual(seen[0].get("cancel_reason"), reason)

        still_works(self.daemon)
        # The next daemon to start converts them (the start-up steps).
        second = self.second_daemon()
        self.assertEqual(self.sql("SELECT count(*) FROM documents WHERE digest_kind = 0"), [("0",)])
        self.assertEqual(self.sql("SELECT count(*) FROM document_pdfs WHERE digest_kind = 0"), [("0",)])
        self.assertEqual(self.sql("SELECT count(*) FROM idempotency_keys WHERE request_digest_kind = 0"), [("0",)])
        self.assertEqual(self.sql("SELECT count(*) FROM sessions WHERE cancel_reason IS NOT NULL"), [("0",)])
        self.assertEqual(self.sql("SELECT count(*) FROM time_off WHERE reason IS NOT NULL"), [("0",)])
        self.assertEqual(self.sql(f"SELECT count(*) FROM time_off WHERE reason_enc IS NOT NULL"
                                  f" AND id = {int(time_off['id'])}"), [("1",)])
        stored = self.sql(f"SELECT content_sha256 FROM documents WHERE number = '{number}'")[0][0]
        self.assertNotEqual(stored, content_sha)
        still_works(second)
        still_works(self.daemon)


class PrivacyAtRestOnMariaDB(MariaDBFromOutside, MariaDBBillingCase, PrivacyAtRest):
    """The same on MariaDB: the database's bytes are a hex-blob dump taken
    through the server's own socket."""


if __name__ == "__main__":
    unittest.main()
