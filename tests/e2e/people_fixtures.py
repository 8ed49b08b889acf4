"""People for the end-to-end tests: an admin made with `parcoursd admin
create`, one signed-in user per role, a JSON helper over the harness's
Daemon, and referral bodies with names that never repeat.

Standard library only; loopback only."""

import http.client
import itertools
import json
import os
import subprocess
import uuid

from harness import binary

# Every user made here has this password (at least 12 characters).
PASSWORD = "correct horse battery staple"
# What an admin sets when creating them: a password set by someone else must
# be changed at first sign-in, so each user then changes it to PASSWORD.
INITIAL_PASSWORD = "initial horse battery staple"

ROLES = ("admin", "coordinator", "practitioner", "finance", "participant", "researcher")

_serial = itertools.count(1)


def unique_letters(length=8):
    """Letters only (names look like names), different on every call."""
    digits = uuid.uuid4().int
    out = []
    for _ in range(length):
        digits, rest = divmod(digits, 26)
        out.append(chr(ord("a") + rest))
    return "".join(out)


def encode_body(body):
    if body is None:
        return None
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    # Real UTF-8 on the wire, not \\u escapes: names travel as people type them.
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def api(daemon, method, path, token=None, body=None, headers=None, source_address=None):
    """One request → (status, headers with lower-case names, parsed JSON or the raw bytes).

    `body` may be a JSON-able value, a str or raw bytes (sent as they are).
    `source_address` picks the loopback address the request comes from (e.g.
    "127.0.0.2"), to be another client for the login throttle."""
    sent = {}
    data = encode_body(body)
    if data is not None:
        sent["Content-Type"] = "application/json"
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    sent.update(headers or {})
    if source_address is None:
        status, answer, raw = daemon.request(method, path, body=data, headers=sent)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=30, source_address=(source_address, 0))
        try:
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            status, raw = response.status, response.read()
            answer = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
    content_type = answer.get("content-type", "")
    if raw and ("json" in content_type):
        try:
            return status, answer, json.loads(raw)
        except ValueError:
            pass
    return status, answer, raw


def settings_args(daemon):
    """The daemon's --set options, so that a command run beside it uses the same key files."""
    args = []
    for i, arg in enumerate(daemon.args):
        if arg == "--set" and i + 1 < len(daemon.args):
            args += ["--set", daemon.args[i + 1]]
        elif arg.startswith("--set="):
            args.append(arg)
    return args


def admin_create(daemon, email, password=None):
    """`parcoursd admin create` beside the daemon (same folder, so the same
    key files; same database) → the password to sign in with."""
    command = [binary(), "admin", "create", "--email", email, "--database", daemon.database, *settings_args(daemon)]
    if password is not None:
        command += ["--password", password]
    done = subprocess.run(command, cwd=daemon.dir, capture_output=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"admin create failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    if password is not None:
        return password
    for line in done.stdout.decode().splitlines():
        if line.startswith("one-time password: "):
            return line.split(": ", 1)[1].strip()
    raise AssertionError(f"admin create printed no one-time password: {done.stdout!r}")


def key_file_args(daemon):
    """--set options naming the daemon's key files by absolute path, for a
    second daemon (another folder) on the same database."""
    keys = os.path.join(daemon.dir, "var", "keys")
    return ["--set", f"security.key_file={keys}/fields.keys", "--set", f"security.lookup_key_file={keys}/lookup.key",
            "--set", f"security.digest_key_file={keys}/digest.key"]


def login(daemon, email, password=PASSWORD, **kwargs):
    status, _, body = api(daemon, "POST", "/api/v1/auth/login", body={"email": email, "password": password}, **kwargs)
    if status != 200:
        raise AssertionError(f"login of {email} gave {status}: {body!r}")
    return body["token"]


def referral(**overrides):
    """A valid POST /participants body for a person nobody referred before.
    A dict `referral=` in overrides replaces keys of the nested referral
    object; any other value replaces the whole object."""
    n = next(_serial)
    tag = unique_letters()
    body = {
        "given_name": f"Prénom{tag.capitalize()}",
        "family_name": f"Nom-{tag.capitalize()}",
        "birth_date": "1984-05-17",
        "email": f"person.{tag}.{n}@example.org",
        "phone": "+1 450 555-0142",
        "address": "12 rue Saint-Charles\nLongueuil QC J4H 1C5",
        "language": "fr",
        "referral": {"source": "DPCP", "reference": f"DPCP-{n:04d}-{tag.upper()}", "referred_on": "2025-06-02",
                     "offence_on": "2025-05-01"},
    }
    if isinstance(overrides.get("referral"), dict):
        overrides["referral"] = dict(body["referral"], **overrides["referral"])
    body.update(overrides)
    return body


ELIGIBLE = {"decision": "eligible", "offence_involved_minor": False, "history_of_violence": False}
COMMITMENT = {"acknowledged_responsibility": True, "signed_on": "2025-06-20", "method": "in_person"}


class People:
    """Who is signed in: tokens, users and ids by role."""

    def __init__(self):
        self.tokens = {}
        self.users = {}
        self.emails = {}
        self.participant_id = None    # the participant record of the participant user
        self.practitioner_id = None   # the practitioner record of the practitioner user

    def token(self, role):
        return self.tokens[role]

    def user_id(self, role):
        return self.users[role]["id"]

    @property
    def roles(self):
        return tuple(role for role in ROLES if role in self.tokens)


def change_own_password(daemon, email, current, new=PASSWORD):
    """Signs in with `current` and changes the password to `new` (the first
    sign-in of a user whose password someone else set) → that session's token."""
    token = login(daemon, email, current)
    status, _, body = api(daemon, "POST", "/api/v1/users/me/password", token=token,
                          body={"current_password": current, "new_password": new})
    if status != 200:
        raise AssertionError(f"password change of {email} gave {status}: {body!r}")
    return token


def create_user(daemon, admin_token, role, **extra):
    """A user made by the admin, whose password is then PASSWORD (changed by
    the user at first sign-in) → (email, user)."""
    email = f"{role}.{unique_letters()}@example.org"
    body = {"email": email, "display_name": f"{role.capitalize()} {unique_letters(4)}", "role": role,
            "password": INITIAL_PASSWORD, **extra}
    status, _, user = api(daemon, "POST", "/api/v1/users", token=admin_token, body=body)
    if status != 201:
        raise AssertionError(f"POST /api/v1/users ({role}) gave {status}: {user!r}")
    change_own_password(daemon, email, INITIAL_PASSWORD)
    return email, user


def create_practitioner(daemon, token, **extra):
    body = {"display_name": f"Dre {unique_letters(6).capitalize()}", "discipline": "therapist",
            "email": f"clinic.{unique_letters()}@example.org", **extra}
    status, _, practitioner = api(daemon, "POST", "/api/v1/practitioners", token=token, body=body)
    if status != 201:
        raise AssertionError(f"POST /api/v1/practitioners gave {status}: {practitioner!r}")
    return practitioner


def signed_in_roles(daemon):
    """An admin made with the command line, then one user per role made by
    that admin, each signed in with PASSWORD → People. The participant user is
    tied to a participant the coordinator referred; the practitioner user to a
    new practitioner."""
    people = People()
    admin_email = f"admin.{unique_letters()}@example.org"
    admin_create(daemon, admin_email, PASSWORD)
    people.emails["admin"] = admin_email
    people.tokens["admin"] = login(daemon, admin_email)
    _, _, people.users["admin"] = api(daemon, "GET", "/api/v1/users/me", token=people.tokens["admin"])

    def add(role, **extra):
        email, user = create_user(daemon, people.tokens["admin"], role, **extra)
        people.emails[role] = email
        people.users[role] = user
        people.tokens[role] = login(daemon, email)

    add("coordinator")
    add("finance")
    add("researcher")
    status, _, participant = api(daemon, "POST", "/api/v1/participants", token=people.tokens["coordinator"],
                                 body=referral())
    if status != 201:
        raise AssertionError(f"POST /api/v1/participants gave {status}: {participant!r}")
    people.participant_id = participant["id"]
    add("participant", participant_id=people.participant_id)
    people.practitioner_id = create_practitioner(daemon, people.tokens["admin"])["id"]
    add("practitioner", practitioner_id=people.practitioner_id)
    return people
