"""The daemon's files are private: the SQLite database (with its -wal and
-shm), the var/ folder it lives in and the key files are readable by the
daemon's user only, whatever the umask of whoever started it. A database
file left readable by others (an older version, a copy) is made private."""

import os
import stat
import unittest

from harness import Daemon


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class FileModes(unittest.TestCase):
    def setUp(self):
        self.old_umask = os.umask(0o022)  # the usual, lenient umask of a shell

    def tearDown(self):
        os.umask(self.old_umask)

    def test_database_folder_and_keys_are_private(self):
        with Daemon(database="sqlite:var/parcours.db") as daemon:
            status, _, _ = daemon.request("GET", "/readyz")
            self.assertEqual(status, 200)
            var = os.path.join(daemon.dir, "var")
            self.assertEqual(mode(var), 0o700, "var/")
            for name in ("parcours.db", "parcours.db-wal", "parcours.db-shm"):
                path = os.path.join(var, name)
                if name == "parcours.db" or os.path.exists(path):
                    self.assertEqual(mode(path), 0o600, name)
            self.assertTrue(os.path.exists(os.path.join(var, "parcours.db-wal")), "WAL mode expected")
            keys = os.path.join(var, "keys")
            self.assertEqual(mode(keys), 0o700, "var/keys/")
            for name in os.listdir(keys):
                self.assertEqual(mode(os.path.join(keys, name)), 0o600, name)

    def test_a_database_readable_by_others_is_made_private(self):
        with Daemon(database="sqlite:parcours.db") as first:
            pass_dir = first.dir
            self.assertEqual(first.request("GET", "/readyz")[0], 200)
            path = os.path.join(pass_dir, "parcours.db")
            first.stop()
            os.chmod(path, 0o644)
            self.assertEqual(mode(path), 0o644)
            second = Daemon(database=f"sqlite:{path}")
            with second:
                self.assertEqual(second.request("GET", "/readyz")[0], 200)
                self.assertEqual(mode(path), 0o600)


if __name__ == "__main__":
    unittest.main()
