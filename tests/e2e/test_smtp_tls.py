"""E-mail security (issue 9): the SMTP password and the PDFs never cross a
network in clear. The daemon refuses to start with an SMTP user and no
STARTTLS / implicit TLS unless the host is this machine; implicit TLS
(SMTPS, port 465) and STARTTLS deliver to a real aiosmtpd on loopback whose
certificate the daemon is told to trust (smtp.ca_file), and a certificate it
does not trust, or one for another host name, is refused (nothing sent).
Certificates are made by the openssl command for this test only."""

import os
import ssl
import subprocess
import tempfile
import unittest

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from billing_fixtures import Till
from harness import Daemon, binary
from test_documents import MAIL_WAIT, Inbox, Office, free_port, invoice_of, mail_address, mail_args, person

UNREACHABLE = "smtp.example.invalid"  # never resolved: the daemon only checks its settings at start


def make_certificate(folder, name, common_name, alt_names):
    """A self-signed certificate → (certificate path, key path)."""
    cert, key = os.path.join(folder, f"{name}.pem"), os.path.join(folder, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    f"/CN={common_name}", "-addext", f"subjectAltName={alt_names}", "-keyout", key, "-out", cert],
                   check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    return cert, key


def over_tls(server):
    """Whether aiosmtpd's connection is encrypted (implicit TLS or after
    STARTTLS; its session.ssl only tells the latter)."""
    return server.transport.get_extra_info("ssl_object") is not None


class TlsInbox(Inbox):
    """An Inbox that also notes whether each message came over TLS."""

    def __init__(self):
        super().__init__()
        self.over_tls = []

    async def handle_DATA(self, server, session, envelope):
        self.over_tls.append(over_tls(server))
        return await super().handle_DATA(server, session, envelope)


class SmtpSettingsAtStart(unittest.TestCase):
    def start(self, *settings):
        folder = tempfile.mkdtemp(prefix="parcours-e2e-smtp-")
        self.addCleanup(subprocess.run, ["rm", "-rf", folder])
        args = [binary(), "--listen", "127.0.0.1:0", "--database", f"sqlite:{folder}/parcours.db"]
        for setting in settings:
            args += ["--set", setting]
        process = subprocess.Popen(args, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        lines = []
        try:
            for line in process.stdout:  # ends when the daemon exits
                lines.append(line)
                if "parcoursd listening on" in line:
                    return None, "".join(lines)
            return process.wait(20), "".join(lines)
        finally:
            if process.poll() is None:  # it serves: stop it by its own PID
                process.terminate()
                process.wait(20)
            process.stdout.close()

    def test_a_user_without_tls_to_another_host_is_refused(self):
        code, text = self.start(f"smtp.host={UNREACHABLE}", "smtp.username=facturation", "smtp.password=s3cret")
        self.assertNotEqual(code, None, "the daemon started")
        self.assertNotEqual(code, 0)
        self.assertIn("smtp.username", text)
        self.assertIn("smtp.starttls", text)
        self.assertNotIn("s3cret", text)
        self.assertNotIn("Traceback", text)

    def test_both_tls_modes_at_once_are_refused(self):
        code, text = self.start("smtp.starttls=true", "smtp.implicit_tls=true")
        self.assertNotIn(code, (None, 0))
        self.assertIn("smtp.implicit_tls", text)

    def test_encrypted_or_loopback_settings_start(self):
        for settings in ((f"smtp.host={UNREACHABLE}", "smtp.username=u", "smtp.starttls=true"),
                         (f"smtp.host={UNREACHABLE}", "smtp.username=u", "smtp.implicit_tls=true", "smtp.port=465"),
                         ("smtp.host=127.0.0.1", "smtp.username=u"),
                         ("smtp.host=localhost", "smtp.username=u"),
                         ("smtp.host=::1", "smtp.username=u"),
                         (f"smtp.host={UNREACHABLE}",)):
            with self.subTest(settings=settings):
                code, text = self.start(*settings)
                self.assertIsNone(code, f"the daemon stopped (exit {code}): {text}")


class SmtpOverTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="parcours-e2e-tls-")
        cls.addClassCleanup(subprocess.run, ["rm", "-rf", cls.folder])
        cls.cert, cls.key = make_certificate(cls.folder, "smtp", "127.0.0.1", "IP:127.0.0.1,DNS:localhost")
        cls.other_cert, cls.other_key = make_certificate(cls.folder, "other", "mail.example.org",
                                                         "DNS:mail.example.org")

    def server_context(self, cert=None, key=None):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert or self.cert, key or self.key)
        return context

    def smtp(self, inbox, **options):
        logins = []

        def authenticator(server, session, envelope, mechanism, auth_data):
            logins.append((auth_data.login, over_tls(server)))
            return AuthResult(success=auth_data.login == b"facturation" and auth_data.password == b"s3cret-SMTP")

        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                                auth_required=True, **options)
        controller.start()
        self.addCleanup(controller.stop)
        return controller, logins

    def send_one(self, port, *settings):
        daemon = Daemon(*mail_args(port, "--set", "smtp.username=facturation", "--set", "smtp.password=s3cret-SMTP",
                                   *[a for s in settings for a in ("--set", s)]))
        self.addCleanup(daemon.close)
        daemon.start()
        till = Till(daemon)
        office = Office(till)
        address = mail_address("tls")
        participant = person(till, "Éloïse", "Gagnon-Roy", email_address=address)
        invoice = invoice_of(till, participant["id"])
        status, _, body = office.send(invoice)
        self.assertEqual(status, 202, body)
        return office, address, invoice, __import__("json").loads(body)["outbox_id"]

    def test_implicit_tls_delivers_with_a_trusted_certificate(self):
        inbox = TlsInbox()
        # aiosmtpd offers AUTH on an implicit-TLS port only when told that
        # TLS is not required (it only counts STARTTLS); the authenticator
        # checks that the login did come over TLS.
        controller, logins = self.smtp(inbox, ssl_context=self.server_context(), auth_require_tls=False)
        _, address, invoice, _ = self.send_one(controller.port, "smtp.implicit_tls=true", f"smtp.ca_file={self.cert}")
        (_, _, message), = inbox.wait(address)
        self.assertEqual(message["subject"], f"Document {invoice}")
        self.assertEqual(inbox.over_tls, [True])
        self.assertEqual(logins, [(b"facturation", True)])

    def test_starttls_delivers_with_a_trusted_certificate(self):
        inbox = TlsInbox()
        controller, logins = self.smtp(inbox, tls_context=self.server_context(), require_starttls=True)
        _, address, invoice, _ = self.send_one(controller.port, "smtp.starttls=true", f"smtp.ca_file={self.cert}")
        (_, _, message), = inbox.wait(address)
        self.assertEqual(message["subject"], f"Document {invoice}")
        self.assertEqual(inbox.over_tls, [True])
        self.assertEqual(logins, [(b"facturation", True)])

    def refused(self, server_cert, server_key, *settings):
        inbox = TlsInbox()
        controller, logins = self.smtp(inbox, ssl_context=self.server_context(server_cert, server_key),
                                       auth_require_tls=False)
        office, address, _, outbox_id = self.send_one(controller.port, "smtp.implicit_tls=true", *settings)
        item = office.wait_outbox(outbox_id, lambda i: i["attempts"] >= 1 and i["status"] in ("retry", "failed"),
                                  MAIL_WAIT, "a refused TLS connection recorded")
        self.assertEqual(inbox.to(address), [])
        self.assertEqual(logins, [], "the password was sent to a server that was not trusted")
        return item

    def test_an_untrusted_certificate_is_refused(self):
        self.refused(self.cert, self.key)  # self-signed and not in smtp.ca_file

    def test_a_certificate_for_another_host_is_refused(self):
        self.refused(self.other_cert, self.other_key, f"smtp.ca_file={self.other_cert}")


if __name__ == "__main__":
    unittest.main()
