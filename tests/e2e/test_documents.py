"""Documents (docs/domain.md "Documents"; issue 6) against the real parcoursd over
HTTP: every kind of PDF — fee invoice F-, receipt R-, credit note NC-, refund
receipt RR-, attestation A-, statement of account — checked with
`qpdf --check` and `pdftotext -layout` (number, name, code, amounts, long
dates, language, accents), in French by default and in English by the
participant's language or `?lang=`; stored documents downloaded byte for
byte, also after a restart under another organisation name; text outside
CP1252 (DejaVu); who may download what; e-mail through the outbox to a real
SMTP server on loopback (aiosmtpd in this process): the PDF attached, a
neutral subject, Idempotency-Key, a server that is down then up (retry),
password-protected attachments, reminders of overdue installments.

On SQLite, and the byte-identity and e-mail tests on a private MariaDB too.
Standard library plus Debian's python3-aiosmtpd; loopback only; every process
(daemons, MariaDB, SMTP servers) is stopped by its own handle, also on
failure."""

import datetime
import email
import email.policy
import json
import re
import socket
import subprocess
import tempfile
import threading
import unittest
import urllib.parse

from aiosmtpd.controller import Controller

from billing_fixtures import BillingCase, MariaDBBillingCase, Till, expect, new_key, program_today, split_number
from clock_fixtures import DaemonClock, attend, awareness_day_seat, plan_from_tomorrow
from harness import Daemon, assert_problem, poll
from people_fixtures import unique_letters
from scheduling_fixtures import call, call_raw, key_file_args

WEEKDAYS = [(d, "09:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")]
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
ORG_NAME = "Organisme Équilibre"
ORG_ADDRESS = "1234 rue Saint-Élzéar | Longueuil QC J4K 1A1"
ORG_GST = "123456789 RT0001"
ORG_FOOTER = "Pièce à conserver pour vos dossiers"
SENDER = "facturation@example.org"
REFERRED_ON = datetime.date(2026, 11, 1)        # the first of a month: "1er novembre 2026"
BIRTH_DATE = "1984-05-17"
# Words a neutral subject never holds (the program, the offence).
SENSITIVE = ("prostitution", "sexuel", "sexual", "john", "parcours", "infraction", "offence", "client")
MAIL_WAIT = 15


# -- text ---------------------------------------------------------------------------

def squeeze(text):
    """Every run of white space (no-break and narrow spaces included) → one space."""
    return re.sub(r"[\s\u00a0\u202f\u2007\u2009]+", " ", text).strip()


def fr_date(day):
    return f"{'1er' if day.day == 1 else day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def en_date(day):
    return f"{MONTHS_EN[day.month - 1]} {day.day}, {day.year}"


def fr_amount(cents):
    whole, rest = divmod(cents, 100)
    return f"{whole:,}".replace(",", " ") + f",{rest:02d} $"


def en_amount(cents):
    whole, rest = divmod(cents, 100)
    return f"${whole:,}.{rest:02d}"


def days_ago(days):
    return (program_today() - datetime.timedelta(days=days)).isoformat()


# -- PDF tools ------------------------------------------------------------------------

def run_tool(args, data, after=()):
    """Runs `args FILE after` (qpdf, pdftotext, pdffonts) on data written to a
    temporary file → CompletedProcess (text; a non-zero exit is returned, not raised)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run([*args, f.name, *after], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)


def qpdf_check(testcase, data, what, password=None):
    testcase.assertTrue(data.startswith(b"%PDF-"), f"{what}: not a PDF: {data[:40]!r}")
    args = ["qpdf", "--check"] + ([f"--password={password}"] if password is not None else [])
    check = run_tool(args, data)
    testcase.assertEqual(check.returncode, 0, f"{what}: qpdf --check:\n{check.stdout}{check.stderr}")
    return check.stdout


def pdf_text(testcase, data, what, password=None):
    """qpdf --check, then pdftotext -layout → the text with white space squeezed."""
    qpdf_check(testcase, data, what, password)
    args = ["pdftotext", "-layout"] + (["-upw", password] if password is not None else [])
    done = run_tool(args, data, ["-"])
    testcase.assertEqual(done.returncode, 0, f"{what}: pdftotext: {done.stderr}")
    return squeeze(done.stdout)


def pdf_fonts(data):
    return run_tool(["pdffonts"], data).stdout


def encryption_of(data, password=None):
    args = ["qpdf", "--show-encryption"] + ([f"--password={password}"] if password is not None else [])
    done = run_tool(args, data)
    return done.stdout + done.stderr


# -- SMTP on loopback -------------------------------------------------------------

def free_port():
    """A loopback port nobody listens on (closed again at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []   # (envelope sender, [recipients], raw bytes)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK: queued"

    def to(self, address):
        """Messages whose envelope names address → [(sender, recipients, email.message.EmailMessage)]."""
        with self.lock:
            found = [m for m in self.messages if address in m[1]]
        return [(sender, rcpts, email.message_from_bytes(raw, policy=email.policy.default))
                for sender, rcpts, raw in found]

    def wait(self, address, count=1, timeout=MAIL_WAIT):
        got = poll(lambda: len(self.to(address)) >= count, timeout, 0.1)
        if not got:
            raise AssertionError(f"{count} message(s) to {address} did not arrive within {timeout} s "
                                 f"(got {len(self.to(address))})")
        return self.to(address)


def start_smtp(testcase_or_class, inbox, port, class_level=False):
    """aiosmtpd on 127.0.0.1:port, stopped at the end of the test (or class)."""
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    (testcase_or_class.addClassCleanup if class_level else testcase_or_class.addCleanup)(controller.stop)
    return controller


def mail_args(port, *extra):
    return ["--set", "smtp.host=127.0.0.1", "--set", f"smtp.port={port}", "--set", "mail.poll_seconds=1",
            "--set", "mail.retry_seconds=1", "--set", f"smtp.from={SENDER}", *extra]


def letterhead_args(name=ORG_NAME):
    return ["--set", f"org.name={name}", "--set", f"org.address={ORG_ADDRESS}", "--set", f"org.gst_number={ORG_GST}",
            "--set", f"org.footer={ORG_FOOTER}"]


def pdf_attachments(message):
    return [(part.get_filename(), part.get_content()) for part in message.walk()
            if part.get_content_type() == "application/pdf"]


def plain_text(message):
    parts = [part.get_content() for part in message.walk() if part.get_content_type() == "text/plain"]
    return "\n".join(parts)


# -- the daemon's side ----------------------------------------------------------------

class Office:
    """Requests as finance / coordinator on a given daemon with a Till's tokens."""

    def __init__(self, till, daemon=None):
        self.till = till
        self.daemon = daemon or till.daemon

    def get(self, path, token=None):
        return call_raw(self.daemon, "GET", path, token=token or self.till.finance)

    def pdf(self, path, token=None):
        status, headers, body = self.get(path, token)
        if status != 200:
            raise AssertionError(f"GET {path}: expected 200, got {status}: {body[:500]!r}")
        content_type = headers.get("content-type", "").split(";")[0].strip()
        if content_type != "application/pdf":
            raise AssertionError(f"GET {path}: Content-Type {headers.get('content-type')!r}")
        return body

    def document_pdf(self, doc_number, token=None):
        return self.pdf(f"/api/v1/documents/{urllib.parse.quote(doc_number)}.pdf", token)

    def statement(self, participant_id, token=None, **query):
        text = f"?{urllib.parse.urlencode(query)}" if query else ""
        return self.pdf(f"/api/v1/participants/{participant_id}/statement.pdf{text}", token)

    def pay(self, participant_id, amount_cents, received_on=None, method="cash"):
        body = Till.payment_body(participant_id, amount_cents, method, received_on)
        return expect(201, call(self.daemon, "POST", "/api/v1/payments", token=self.till.finance, body=body,
                                headers={"Idempotency-Key": new_key()}), f"payment of {amount_cents}")

    def send(self, doc_number, key=None):
        headers = {"Idempotency-Key": key} if key else None
        return call_raw(self.daemon, "POST", f"/api/v1/documents/{urllib.parse.quote(doc_number)}/send",
                        token=self.till.finance, headers=headers)

    def outbox(self, **query):
        query.setdefault("limit", 500)
        return expect(200, call(self.daemon, "GET", f"/api/v1/outbox?{urllib.parse.urlencode(query)}",
                                token=self.till.finance), "GET /api/v1/outbox")["items"]

    def outbox_item(self, outbox_id):
        found = [i for i in self.outbox() if i.get("id") == outbox_id]
        return found[0] if found else None

    def wait_outbox(self, outbox_id, predicate, timeout, what):
        last = {}

        def check():
            item = self.outbox_item(outbox_id)
            last["item"] = item
            return item is not None and predicate(item)

        if not poll(check, timeout, 0.1):
            raise AssertionError(f"outbox item {outbox_id}: {what} not reached within {timeout} s: {last.get('item')}")
        return last["item"]


def person(till, given, family, language="fr", email_address=None, address=None, birth_date=BIRTH_DATE,
           referred_on=REFERRED_ON):
    """A participant referred and enrolled (so invoiced) → its JSON, with names and e-mail sent."""
    tag = unique_letters().upper()
    body = {"given_name": given, "family_name": family, "birth_date": birth_date, "language": language,
            "referral": {"reference": f"DPCP-DOC-{tag}", "referred_on": referred_on.isoformat()}}
    if email_address:
        body["email"] = email_address
    if address:
        body["address"] = address
    participant = expect(201, till.call("POST", "/api/v1/participants", body), f"POST /participants ({family})")
    participant["given_name_sent"], participant["family_name_sent"] = given, family
    participant["email_sent"] = email_address
    till.enrol(participant)
    return participant


def invoice_of(till, participant_id):
    docs = [d for d in till.account(participant_id)["documents"] if d["kind"] == "invoice"]
    if len(docs) != 1:
        raise AssertionError(f"expected one invoice: {docs}")
    return docs[0]["number"]


def mail_address(stem):
    return f"{stem}.{unique_letters(10)}@example.org"


def problem(testcase, answer, status):
    code, headers, body = answer
    return assert_problem(testcase, code, headers, body, status)


# -- the class fixture -------------------------------------------------------------------

class DocumentsCase(BillingCase):
    """A class daemon with a letterhead from configuration and an SMTP server
    (aiosmtpd) on loopback; a "story" participant with every kind of document:
    F- at enrolment, R- (a payment received on the first of the month), NC-
    (fee reduced), RR- (part of the payment refunded), a second R- that
    settles the balance, and A- (completed)."""

    @classmethod
    def setUpClass(cls):
        cls.inbox = Inbox()
        cls.smtp = start_smtp(cls, cls.inbox, free_port(), class_level=True)
        url = cls.start_database()
        cls.daemon = Daemon(*letterhead_args(), *mail_args(cls.smtp.port), database=url)
        cls.clock = DaemonClock(cls.daemon)   # sessions are attended once they have taken place
        cls.addClassCleanup(cls.daemon.close)
        cls.daemon.start()
        cls.till = Till(cls.daemon)
        cls.office = Office(cls.till)
        cls.practitioner = cls.till.practitioner(WEEKDAYS)
        cls.build_story()

    @classmethod
    def build_story(cls):
        till, office = cls.till, cls.office
        story = person(till, "Éloïse", "Côté-Lévesque", address="4321 rue Saint-Édouard\nQuébec QC G1K 3A1")
        pid = story["id"]
        docs = {"F": invoice_of(till, pid)}
        cls.first_of_month = program_today().replace(day=1)
        payment = office.pay(pid, 20000, received_on=cls.first_of_month.isoformat())
        docs["R"] = payment["receipt_number"]
        reduced = expect(201, till.adjust(pid, 40000, "capacité de payer réduite"), "fee reduction")
        docs["NC"] = reduced["document"]["number"]
        refund = expect(201, till.refund(payment["id"], 5000, "trop-perçu"), "refund")
        docs["RR"] = refund["number"]
        # Completion: a one-week plan from tomorrow and an awareness day, attended ten days
        # later (the test clock), back to today; the balance settled.
        sessions = plan_from_tomorrow(till, cls.practitioner["id"], pid)
        day, cls.awareness_day = awareness_day_seat(till, pid)
        attend(till, cls.clock, pid, sessions, day)
        docs["R2"] = office.pay(pid, 25000)["receipt_number"]
        completed = expect(200, till.call("POST", f"/api/v1/participants/{pid}/complete"), "complete")
        docs["A"] = completed["attestation_number"]
        cls.story, cls.docs, cls.sessions_attended = story, docs, len(sessions)
        cls.completed_on = program_today()
        # The first download of each; the tests compare later ones with it.
        cls.first_pdfs = {prefix: office.document_pdf(doc) for prefix, doc in docs.items()}


class StoredAndMailed:
    """Byte identity and e-mail: on SQLite and on MariaDB."""

    # 3 ----------------------------------------------------------------------------------

    def test_every_stored_document_downloads_byte_identical(self):
        for prefix, doc in self.docs.items():
            with self.subTest(document=doc):
                again = self.office.document_pdf(doc)
                self.assertEqual(again, self.first_pdfs[prefix], f"{doc}: the second download differs")
                qpdf_check(self, again, doc)
        # The attestation's own route serves the same stored bytes.
        attestation = self.office.pdf(f"/api/v1/participants/{self.story['id']}/attestation.pdf",
                                      token=self.till.coordinator)
        self.assertEqual(attestation, self.first_pdfs["A"], "attestation.pdf ≠ /documents/A-….pdf")

    def test_statement_same_query_same_bytes(self):
        pid = self.story["id"]
        today = program_today().isoformat()
        for query in ({}, {"lang": "en"}, {"from": self.first_of_month.isoformat(), "to": today, "lang": "fr"}):
            with self.subTest(query=query):
                first = self.office.statement(pid, **query)
                second = self.office.statement(pid, **query)
                qpdf_check(self, first, f"statement {query}")
                self.assertEqual(first, second, f"statement {query}: two downloads differ")

    def test_issued_pdfs_survive_a_restart_under_another_organisation_name(self):
        participant = person(self.till, "Gérald", "Bélanger-Nadeau")
        pid = participant["id"]
        invoice = invoice_of(self.till, pid)
        invoice_pdf = self.office.document_pdf(invoice)
        self.assertIn(ORG_NAME, pdf_text(self, invoice_pdf, invoice))

        def restarted(name):
            daemon = Daemon(*key_file_args(self.daemon), *mail_args(self.smtp.port), "--set", f"org.name={name}",
                            database=self.daemon.database)
            self.addCleanup(daemon.close)
            daemon.start()
            return daemon, Office(self.till, daemon)

        second, office2 = restarted("Deuxième Maison")
        self.assertEqual(office2.document_pdf(invoice), invoice_pdf, "the invoice changed with org.name")
        receipt = office2.pay(pid, 10000)["receipt_number"]
        receipt_pdf = office2.document_pdf(receipt)
        text = pdf_text(self, receipt_pdf, receipt)
        self.assertIn("Deuxième Maison", text, "a new document carries the new organisation name")
        self.assertNotIn(ORG_NAME, text)
        self.assertEqual(second.stop(), 0, second.log_text()[-2000:])

        third, office3 = restarted("Troisième Lieu")
        self.assertEqual(office3.document_pdf(invoice), invoice_pdf, "the invoice changed after a restart")
        self.assertEqual(office3.document_pdf(receipt), receipt_pdf, "the receipt changed after a restart")
        later = office3.pay(pid, 10000)["receipt_number"]
        later_text = pdf_text(self, office3.document_pdf(later), later)
        self.assertIn("Troisième Lieu", later_text)
        self.assertNotIn("Deuxième Maison", later_text)
        self.assertEqual(third.stop(), 0, third.log_text()[-2000:])
        # And the first daemon, still running, serves them unchanged too.
        self.assertEqual(self.office.document_pdf(invoice), invoice_pdf)
        self.assertEqual(self.office.document_pdf(receipt), receipt_pdf)

    # 6 ----------------------------------------------------------------------------------

    def check_neutral(self, message, participant, doc_number):
        subject = message["subject"]
        self.assertEqual(subject, f"Document {doc_number}")
        lowered = subject.lower()
        for word in SENSITIVE + (participant["given_name_sent"].lower(), participant["family_name_sent"].lower(),
                                 ORG_NAME.lower()):
            self.assertNotIn(word, lowered, f"the subject {subject!r} names {word!r}")
        body = plain_text(message).lower()
        for word in ("prostitution", "sexuel", "sexual"):
            self.assertNotIn(word, body, f"the message body names {word!r}: {body!r}")

    def test_send_an_invoice_by_email(self):
        address = mail_address("melodie")
        participant = person(self.till, "Mélodie", "Bélisle-Côté", email_address=address)
        invoice = invoice_of(self.till, participant["id"])
        stored = self.office.document_pdf(invoice)

        status, _, body = self.office.send(invoice)
        self.assertEqual(status, 202, body)
        queued = json.loads(body)
        self.assertEqual((queued.get("number"), queued.get("status")), (invoice, "pending"), queued)
        self.assertIsInstance(queued.get("outbox_id"), str, queued)

        (sender, recipients, message), = self.inbox.wait(address)
        self.assertEqual(recipients, [address])
        self.assertEqual(sender, SENDER)
        self.assertIn(address, str(message["to"]))
        self.check_neutral(message, participant, invoice)
        attachments = pdf_attachments(message)
        self.assertEqual(len(attachments), 1, attachments)
        filename, data = attachments[0]
        self.assertEqual(filename, f"{invoice}.pdf")
        self.assertEqual(data, stored, "the attachment is not the stored PDF")
        self.assertEqual(self.office.document_pdf(invoice), stored, "sending changed the stored PDF")

        item = self.office.wait_outbox(queued["outbox_id"], lambda i: i["status"] == "sent", 10, "sent")
        self.assertEqual((item["kind"], item["document_number"], item["participant_id"]),
                         ("document", invoice, participant["id"]), item)
        self.assertGreaterEqual(item["attempts"], 1, item)
        self.assertIsNotNone(item["sent_at"], item)
        self.assertNotIn(address, json.dumps(item), "the outbox shows no recipient address")

    def test_send_without_an_email_address_is_422_and_queues_nothing(self):
        participant = person(self.till, "Noël", "Sans-Courriel")
        invoice = invoice_of(self.till, participant["id"])
        problem(self, self.office.send(invoice), 422)
        self.assertEqual([i for i in self.office.outbox() if i.get("document_number") == invoice], [],
                         "an e-mail was queued for a participant without an address")
        problem(self, self.office.send("F-2026-99999"), 404)

    def test_send_with_the_same_idempotency_key_sends_once(self):
        address = mail_address("maelle")
        participant = person(self.till, "Maëlle", "Bérubé", email_address=address)
        invoice = invoice_of(self.till, participant["id"])
        key = new_key()
        first = self.office.send(invoice, key)
        second = self.office.send(invoice, key)
        self.assertEqual(first[0], 202, first[2])
        self.assertEqual(second[0], 202, second[2])
        self.assertEqual(json.loads(first[2])["outbox_id"], json.loads(second[2])["outbox_id"],
                         "the replayed send queued another e-mail")
        self.inbox.wait(address)
        # The sender polls every second: give it time to send a second copy if it had one.
        poll(lambda: len(self.inbox.to(address)) > 1, 2.5, 0.1)
        self.assertEqual(len(self.inbox.to(address)), 1, "one key, one e-mail")
        self.assertEqual(len([i for i in self.office.outbox() if i.get("document_number") == invoice]), 1)


class FrenchEnglishAccess:
    """Content, language, fonts and access: on SQLite."""

    # 1 ----------------------------------------------------------------------------------

    def story_text(self, prefix):
        doc = self.docs[prefix]
        return doc, pdf_text(self, self.first_pdfs[prefix], doc)

    def check_common_fr(self, doc, text):
        story = self.story
        split_number(doc)
        for expected in (doc, story["code"], "Côté-Lévesque", "Éloïse", ORG_NAME, "Saint-Élzéar", ORG_FOOTER):
            self.assertIn(expected, text, f"{doc}: {expected!r} missing from:\n{text}")
        self.assertIn(fr_date(program_today()), text, f"{doc}: the date of issue in French")

    def test_fee_invoice_in_french(self):
        doc, text = self.story_text("F")
        self.check_common_fr(doc, text)
        for expected in ("Facture", "Facturé à", "Saint-Édouard", "Québec QC G1K 3A1", "Frais de programme",
                         fr_amount(50000), "N° TPS", ORG_GST):
            self.assertIn(expected, text, f"{doc}: {expected!r} missing from:\n{text}")
        # Issued since references are printed: the participant code is the payment reference.
        code = self.story["code"]
        for expected in (f"Référence de paiement {code}",
                         f"Inscrivez la référence de paiement {code} dans le message du virement Interac ou sur le "
                         "chèque."):
            self.assertIn(expected, text, f"{doc}: {expected!r} missing from:\n{text}")
        self.assertEqual(fr_amount(50000), "500,00 $")
        self.assertNotIn("$500", text)
        self.assertNotIn("Invoice", text)

    def test_receipt_in_french(self):
        doc, text = self.story_text("R")
        self.check_common_fr(doc, text)
        for expected in ("Reçu", "Reçu de", fr_amount(20000), fr_date(self.first_of_month), "Argent comptant"):
            self.assertIn(expected, text, f"{doc}: {expected!r} missing from:\n{text}")
        if self.first_of_month.day == 1:
            self.assertRegex(text, r"\b1er " + MONTHS_FR[self.first_of_month.month - 1])
        doc2, text2 = self.story_text("R2")
        self.assertIn(fr_amount(25000), text2)

    def test_credit_note_in_french(self):
        doc, text = self.story_text("NC")
        self.check_common_fr(doc, text)
        for expected in ("Note de crédit", fr_amount(10000), fr_amount(50000), fr_amount(40000),
                         "« capacité de payer réduite »", "Réduction des frais de programme"):
            self.assertIn(expected, text, f"{doc}: {expected!r} missing from:\n{text}")

    def test_refund_receipt_in_french(self):
        doc, text = self.story_text("RR")
        self.check_common_fr(doc, text)
        for expected in ("Reçu de remboursement", "Remboursé à", fr_amount(5000), self.docs["R"], "« trop-perçu »"):
            self.assertIn(expected, text, f"{doc}: {expected!r} missing from:\n{text}")

    def test_attestation_in_french(self):
        doc, text = self.story_text("A")
        self.check_common_fr(doc, text)
        for expected in ("Attestation de participation", "1er novembre 2026", fr_date(self.awareness_day),
                         fr_date(self.completed_on), "Signature autorisée", f"Pour {ORG_NAME}"):
            self.assertIn(expected, text, f"{doc}: {expected!r} missing from:\n{text}")
        self.assertIn(f"Éloïse Côté-Lévesque (code {self.story['code']})", text)
        self.assertIn(f"Séances de thérapie suivies {self.sessions_attended}", text)
        self.assertEqual(split_number(doc)[0], "A")

    def test_statement_in_french(self):
        data = self.office.statement(self.story["id"])
        text = pdf_text(self, data, "statement")
        for expected in ("Relevé de compte", self.story["code"], "Côté-Lévesque", "Éloïse", ORG_NAME,
                         fr_date(program_today()), "Solde", "Échéancier", fr_amount(50000), fr_amount(20000),
                         fr_amount(10000), fr_amount(5000), fr_amount(25000), fr_amount(0),
                         *(self.docs[p] for p in ("F", "R", "NC", "RR", "R2"))):
            self.assertIn(expected, text, f"statement: {expected!r} missing from:\n{text}")
        self.assertNotIn(self.docs["A"], text, "an attestation is not a ledger entry")

    # 2 ----------------------------------------------------------------------------------

    def test_english_participant_gets_english_documents(self):
        participant = person(self.till, "Zoë", "Müller-Hart", language="en")
        pid = participant["id"]
        invoice = invoice_of(self.till, pid)
        text = pdf_text(self, self.office.document_pdf(invoice), invoice)
        for expected in ("Invoice", invoice, participant["code"], "Zoë Müller-Hart", "Bill to", "Participant code",
                         "Program fee", "$500.00", en_date(program_today()),
                         f"Payment reference {participant['code']}",
                         f"Write the payment reference {participant['code']} in the Interac e-Transfer message"):
            self.assertIn(expected, text, f"{invoice}: {expected!r} missing from:\n{text}")
        for french in ("Facture", "500,00", MONTHS_FR[program_today().month - 1] + " "):
            self.assertNotIn(french, text, f"{invoice}: French {french!r} in an English invoice")

        first = program_today().replace(day=1)
        receipt = self.office.pay(pid, 20000, received_on=first.isoformat())["receipt_number"]
        text = pdf_text(self, self.office.document_pdf(receipt), receipt)
        for expected in ("Receipt", receipt, "$200.00", en_date(first), "Cash", "Thank you."):
            self.assertIn(expected, text, f"{receipt}: {expected!r} missing from:\n{text}")

        # Thousands: the fee raised to 1 734,56 → an invoice of 1 234,56 for the difference.
        raised = expect(201, self.till.adjust(pid, 173456, "revised income"), "fee increase")["document"]
        text = pdf_text(self, self.office.document_pdf(raised["number"]), raised["number"])
        self.assertIn(en_amount(123456), text)
        self.assertIn(f"Payment reference {participant['code']}", text, "a fee increase's invoice")
        self.assertEqual(en_amount(123456), "$1,234.56")

        statement = pdf_text(self, self.office.statement(pid), "English statement")
        for expected in ("Statement of account", participant["code"], "$500.00", "$200.00", "$1,234.56",
                         en_date(program_today()), "Balance"):
            self.assertIn(expected, statement, f"statement: {expected!r} missing from:\n{statement}")
        french = pdf_text(self, self.office.statement(pid, lang="fr"), "statement ?lang=fr")
        self.assertIn("Relevé de compte", french)
        self.assertIn(fr_amount(173456 - 20000), french)

    def test_statement_prints_each_installment_reference(self):
        participant = person(self.till, "Anaïs", "Beaulieu-Nadeau")
        pid = participant["id"]
        expect(201, self.till.plan(pid, 3, days_ago(40)), "a plan of three installments")
        installments = self.till.account(pid)["installments"]
        self.assertEqual(len(installments), 3, installments)
        for lang, sentence in (("fr", "Pour chaque versement, inscrivez sa référence de paiement dans le message "
                                      "du virement Interac ou sur le chèque."),
                               ("en", "For each installment, write its payment reference in the Interac e-Transfer "
                                      "message or on the cheque.")):
            with self.subTest(lang=lang):
                text = pdf_text(self, self.office.statement(pid, lang=lang), f"statement ?lang={lang}")
                for item in installments:
                    self.assertIn(item["reference"], text, f"installment {item['seq']} in:\n{text}")
                self.assertIn(sentence, text)

    def test_french_thousands(self):
        participant = person(self.till, "Héloïse", "Fréchette")
        raised = expect(201, self.till.adjust(participant["id"], 173456, "revenu revu"), "fee increase")["document"]
        text = pdf_text(self, self.office.document_pdf(raised["number"]), raised["number"])
        self.assertEqual(fr_amount(123456), "1 234,56 $")
        self.assertIn("1 234,56 $", text)
        self.assertIn("Augmentation des frais de programme", text)

    def test_statement_language_query(self):
        pid = self.story["id"]
        text = pdf_text(self, self.office.statement(pid, lang="en"), "statement ?lang=en")
        for expected in ("Statement of account", self.story["code"], "Côté-Lévesque", "$500.00", "$250.00",
                         en_date(program_today()), "Participant code"):
            self.assertIn(expected, text, f"statement ?lang=en: {expected!r} missing from:\n{text}")
        self.assertNotIn("Relevé", text)
        self.assertNotIn("500,00", text)
        for bad in ("de", "FR", ""):
            with self.subTest(lang=bad):
                problem(self, self.office.get(f"/api/v1/participants/{pid}/statement.pdf?lang={bad}"), 400)
        problem(self, self.office.get("/api/v1/participants/999999/statement.pdf"), 404)

    def test_statement_period_errors(self):
        pid = self.story["id"]
        path = f"/api/v1/participants/{pid}/statement.pdf"
        problem(self, self.office.get(f"{path}?from=2026-11-20&to=2026-11-10"), 422)
        problem(self, self.office.get(f"{path}?from=2026-13-01"), 400)

    def test_many_lines_paginate(self):
        participant = person(self.till, "Honorée", "Paquette-Légaré")
        pid = participant["id"]
        receipts = [self.office.pay(pid, 100)["receipt_number"] for _ in range(60)]
        data = self.office.statement(pid)
        text = pdf_text(self, data, "a long statement")
        pages = re.findall(r"Page (\d+) / (\d+)", text)
        self.assertTrue(pages, text[:2000])
        total = int(pages[0][1])
        self.assertGreaterEqual(total, 2, "60 ledger lines on one page")
        self.assertEqual(pages, [(str(n), str(total)) for n in range(1, total + 1)], pages)
        for receipt in receipts:
            self.assertIn(receipt, text, f"{receipt} lost between pages")
        self.assertIn(fr_amount(50000 - 6000), text, "the closing balance")

    # 4 ----------------------------------------------------------------------------------

    def test_names_outside_cp1252_switch_to_dejavu(self):
        participant = person(self.till, "Łukasz", "Nguyễn")
        invoice = invoice_of(self.till, participant["id"])
        data = self.office.document_pdf(invoice)
        text = pdf_text(self, data, invoice)
        self.assertIn("Łukasz Nguyễn", text)
        self.assertIn("Facture", text)
        self.assertIn("500,00 $", text)
        self.assertNotIn("?", text.replace("Nguyễn", ""), f"a character printed as '?':\n{text}")
        self.assertIn("DejaVu", pdf_fonts(data), "a document with text outside CP1252 embeds DejaVu")
        self.assertNotIn("DejaVu", pdf_fonts(self.first_pdfs["F"]), "CP1252 text stays on the built-in font")
        statement = pdf_text(self, self.office.statement(participant["id"]), "statement")
        self.assertIn("Łukasz Nguyễn", statement)

    # 5 ----------------------------------------------------------------------------------

    def test_who_may_download_what(self):
        story = self.story
        _, own = self.till.participant_user(story["id"])
        for prefix in ("F", "R", "NC", "RR"):
            with self.subTest(own=self.docs[prefix]):
                self.assertEqual(self.office.document_pdf(self.docs[prefix], token=own), self.first_pdfs[prefix])
        self.assertEqual(self.office.statement(story["id"], token=own), self.office.statement(story["id"]),
                         "the same statement, the same day, for the participant and finance")

        other = person(self.till, "Rémi", "Tremblay-Ouellet")
        foreign = invoice_of(self.till, other["id"])
        problem(self, self.office.get(f"/api/v1/documents/{foreign}.pdf", token=own), 404)
        problem(self, self.office.get(f"/api/v1/participants/{other['id']}/statement.pdf", token=own), 404)

        coordinator = self.till.coordinator
        problem(self, self.office.get(f"/api/v1/documents/{self.docs['F']}.pdf", token=coordinator), 404)
        problem(self, self.office.get(f"/api/v1/documents/{self.docs['R']}.pdf", token=coordinator), 404)
        self.assertEqual(self.office.document_pdf(self.docs["A"], token=coordinator), self.first_pdfs["A"])
        status, _, _ = self.office.get(f"/api/v1/participants/{story['id']}/statement.pdf", token=coordinator)
        self.assertIn(status, (403, 404))
        problem(self, call_raw(self.daemon, "GET", f"/api/v1/documents/{self.docs['F']}.pdf"), 401)
        problem(self, self.office.get("/api/v1/documents/F-2026-99999.pdf"), 404)

    # 9 ----------------------------------------------------------------------------------

    def test_overdue_reminders_once_a_day_with_the_statement(self):
        address = mail_address("reminder")
        late = person(self.till, "Aurélie", "Gagné-Roy", email_address=address)
        expect(201, self.till.plan(late["id"], 2, days_ago(60)), "payment plan in the past")
        unreachable = person(self.till, "Jérôme", "Sans-Adresse")
        expect(201, self.till.plan(unreachable["id"], 2, days_ago(60)), "payment plan in the past")

        run = expect(200, call(self.daemon, "POST", "/api/v1/reminders/overdue", token=self.till.finance),
                     "reminders")
        self.assertEqual((run.get("reminded"), run.get("skipped"), run.get("without_email")), (1, 0, 1), run)
        (sender, recipients, message), = self.inbox.wait(address)
        self.assertEqual(recipients, [address])
        self.assertEqual(message["subject"], "Relevé de compte")
        for word in SENSITIVE + ("aurélie", "gagné"):
            self.assertNotIn(word, message["subject"].lower())
        attachments = pdf_attachments(message)
        self.assertEqual(len(attachments), 1, attachments)
        text = pdf_text(self, attachments[0][1], "the reminder's statement")
        for expected in ("Relevé de compte", late["code"], "Gagné-Roy", "En retard", fr_amount(25000),
                         fr_date(datetime.date.fromisoformat(days_ago(60)))):
            self.assertIn(expected, text, f"reminder statement: {expected!r} missing from:\n{text}")
        # The body names each overdue installment's reference and how to use it; the subject never.
        overdue = [i for i in self.till.account(late["id"])["installments"] if i["status"] == "overdue"]
        self.assertTrue(overdue, "the plan 60 days ago has overdue installments")
        body = squeeze(plain_text(message))
        for item in overdue:
            self.assertIn(f"Versement {item['seq']} : {item['reference']}", body)
            self.assertIn(item["reference"], text, "the attached statement")
            self.assertNotIn(item["reference"], message["subject"])
        self.assertIn("inscrivez sa référence de paiement dans le message du virement Interac ou sur le chèque.", body)
        self.assertNotIn(late["code"][2:], message["subject"])

        again = expect(200, call(self.daemon, "POST", "/api/v1/reminders/overdue", token=self.till.finance),
                       "reminders again")
        self.assertEqual(again.get("reminded"), 0, again)
        self.assertGreaterEqual(again.get("skipped"), 1, again)
        poll(lambda: len(self.inbox.to(address)) > 1, 2.5, 0.1)
        self.assertEqual(len(self.inbox.to(address)), 1, "a second run the same day sent another e-mail")
        reminders = [i for i in self.office.outbox() if i.get("kind") == "reminder"]
        self.assertEqual([(i["participant_id"], i["document_number"]) for i in reminders], [(late["id"], None)],
                         reminders)

    # 7b ---------------------------------------------------------------------------------

    def test_smtp_authentication(self):
        """smtp.username/password: AUTH PLAIN with the right password delivers;
        a wrong one is refused by the server and the e-mail waits in the outbox."""
        from aiosmtpd.smtp import AuthResult

        logins = []

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == b"facturation" and auth_data.password == b"s3cret-SMTP"
            logins.append((mechanism, auth_data.login, ok))
            return AuthResult(success=ok)

        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                                auth_required=True, auth_require_tls=False)
        controller.start()
        self.addCleanup(controller.stop)

        good = Daemon(*mail_args(controller.port, "--set", "smtp.username=facturation",
                                 "--set", "smtp.password=s3cret-SMTP"))
        self.addCleanup(good.close)
        good.start()
        till = Till(good)
        office = Office(till)
        address = mail_address("authenticated")
        participant = person(till, "Rosalie", "Bélanger-Roy", email_address=address)
        invoice = invoice_of(till, participant["id"])
        status, _, body = office.send(invoice)
        self.assertEqual(status, 202, body)
        (_, _, message), = inbox.wait(address)
        self.assertEqual(message["subject"], f"Document {invoice}")
        self.assertIn(("PLAIN", b"facturation", True), logins)

        # The same outbox without credentials (the first daemon stopped, or
        # its sender would deliver the e-mail): the server refuses, the
        # e-mail waits in the outbox with the server's reply. (A wrong
        # password is not tried: aiosmtpd 1.4 answers a failed AUTH only
        # after the client's timeout.)
        good.stop()
        anonymous = Daemon(*key_file_args(good), *mail_args(controller.port), database=good.database)
        self.addCleanup(anonymous.close)
        anonymous.start()
        office_anonymous = Office(till, anonymous)
        status, _, body = office_anonymous.send(invoice)
        self.assertEqual(status, 202, body)
        outbox_id = json.loads(body)["outbox_id"]
        item = office_anonymous.wait_outbox(
            outbox_id, lambda i: i["status"] in ("retry", "failed") and i["attempts"] >= 1, MAIL_WAIT,
            "a refused send recorded")
        self.assertIn("530", item["last_error"], item)
        self.assertEqual(len(inbox.to(address)), 1, "nothing delivered without a valid login")

    # 8 ----------------------------------------------------------------------------------

    def test_password_protected_attachment_and_canonical_stored_pdf(self):
        daemon = Daemon(*mail_args(self.smtp.port, "--set", "mail.pdf_password=birth_date"))
        self.addCleanup(daemon.close)
        daemon.start()
        till = Till(daemon)
        office = Office(till)
        address = mail_address("protected")
        participant = person(till, "Anaïs", "Desrosiers", email_address=address, birth_date="1979-03-01")
        invoice = invoice_of(till, participant["id"])
        stored = office.document_pdf(invoice)
        status, _, body = office.send(invoice)
        self.assertEqual(status, 202, body)
        (_, _, message), = self.inbox.wait(address)
        self.assertEqual(message["subject"], f"Document {invoice}")
        (filename, data), = pdf_attachments(message)
        self.assertEqual(filename, f"{invoice}.pdf")
        self.assertNotEqual(data, stored, "the attachment is not protected")

        locked = run_tool(["pdftotext", "-layout"], data, ["-"])
        self.assertNotEqual(locked.returncode, 0, f"opened without a password:\n{locked.stdout[:500]}")
        wrong = run_tool(["pdftotext", "-layout", "-upw", "19790302"], data, ["-"])
        self.assertNotEqual(wrong.returncode, 0, "opened with a wrong password")
        text = pdf_text(self, data, "protected attachment", password="19790301")
        self.assertIn(invoice, text)
        self.assertIn("Desrosiers", text)
        self.assertIn("500,00 $", text)
        shown = encryption_of(data, "19790301")
        self.assertNotIn("not encrypted", shown)
        self.assertRegex(shown, r"R = [23]", "libharu's RC4 (revision 2 or 3)")

        self.assertIn("not encrypted", encryption_of(stored), "the stored PDF stays unencrypted")
        self.assertIn(invoice, pdf_text(self, stored, invoice))
        self.assertEqual(office.document_pdf(invoice), stored, "sending changed the stored PDF")

    # 7 ----------------------------------------------------------------------------------

    def test_smtp_down_then_up_retries_and_delivers(self):
        port = free_port()   # nobody listens there yet
        daemon = Daemon(*mail_args(port))
        self.addCleanup(daemon.close)
        daemon.start()
        till = Till(daemon)
        office = Office(till)
        address = mail_address("retry")
        participant = person(till, "Bérénice", "Lafrenière", email_address=address)
        invoice = invoice_of(till, participant["id"])
        stored = office.document_pdf(invoice)

        status, _, body = office.send(invoice)
        self.assertEqual(status, 202, body)
        outbox_id = json.loads(body)["outbox_id"]
        failed = office.wait_outbox(outbox_id, lambda i: i["status"] == "retry" and i["attempts"] >= 1, 10,
                                    "retry after a failed attempt")
        self.assertTrue(failed["last_error"], failed)
        self.assertNotIn("@", failed["last_error"], failed)
        self.assertIsNone(failed["sent_at"], failed)
        self.assertEqual(office.document_pdf(invoice), stored, "a failed send changed the document")

        inbox = Inbox()
        start_smtp(self, inbox, port)
        (_, recipients, message), = inbox.wait(address, timeout=35)
        self.assertEqual(recipients, [address])
        self.assertEqual(message["subject"], f"Document {invoice}")
        (_, data), = pdf_attachments(message)
        self.assertEqual(data, stored)
        sent = office.wait_outbox(outbox_id, lambda i: i["status"] == "sent", 10, "sent")
        self.assertGreaterEqual(sent["attempts"], 2, sent)
        self.assertIsNotNone(sent["sent_at"], sent)
        self.assertEqual(office.document_pdf(invoice), stored, "the document changed")


class DocumentsSQLiteTests(FrenchEnglishAccess, StoredAndMailed, DocumentsCase):
    pass


class DocumentsMariaDBTests(StoredAndMailed, DocumentsCase, MariaDBBillingCase):
    pass


if __name__ == "__main__":
    unittest.main()
