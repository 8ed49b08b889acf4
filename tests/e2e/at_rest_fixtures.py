"""The database as an attacker with a copy of it would see it, for the
tests of data at rest (privacy, retention): its bytes and plain SQL, from
outside the daemon.

  SQLiteFromOutside:  the SQLite file and its WAL; statements through Python's sqlite3.
  MariaDBFromOutside: a `mariadb-dump --hex-blob` through the private
                      server's own socket; statements through `mariadb`.

Mix one into a test case whose daemon is self.daemon (and, for MariaDB,
whose server is self.mariadb). Standard library only."""

import os
import sqlite3
import subprocess


def forms(needle):
    """The ways bytes can show in a database file or a hex-blob dump."""
    if isinstance(needle, str):
        needle = needle.encode("utf-8")
    return {needle, needle.hex().encode(), needle.hex().upper().encode()}


class SQLiteFromOutside:

    def database_path(self):
        return self.daemon.database[len("sqlite:"):]

    def database_bytes(self):
        data = b""
        for name in (self.database_path(), self.database_path() + "-wal"):
            if os.path.exists(name):
                with open(name, "rb") as f:
                    data += f.read()
        self.assertGreater(len(data), 10000, "the database file was read")
        return data

    def sql(self, statement):
        """Runs one statement on the database → rows of text."""
        connection = sqlite3.connect(self.database_path(), timeout=30, isolation_level=None)
        try:
            return [tuple(None if v is None else str(v) for v in row) for row in connection.execute(statement)]
        finally:
            connection.close()

    def assert_not_stored(self, needle, what):
        data = self.database_bytes()
        for form in forms(needle):
            # assertFalse, not assertNotIn: a failure must not print the whole database
            self.assertFalse(form in data, f"{what} is in the database ({form[:70]!r})")


class MariaDBFromOutside(SQLiteFromOutside):

    def mariadb_client(self, program, *args):
        done = subprocess.run([program, "--no-defaults", f"--socket={self.mariadb.dir}/sock", "-uroot", *args],
                              capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise AssertionError(f"{program} failed: {done.stderr.decode(errors='replace')}")
        return done.stdout

    def database_bytes(self):
        data = self.mariadb_client("mariadb-dump", "--hex-blob", "--skip-extended-insert", "--single-transaction",
                                   "parcours")
        self.assertIn(b"INSERT INTO `participants`", data, "the dump holds the data")
        return data

    def sql(self, statement):
        out = self.mariadb_client("mariadb", "--batch", "--skip-column-names", "parcours", "-e", statement)
        return [tuple(None if v == "NULL" else v for v in line.split("\t"))
                for line in out.decode().splitlines()]
