// Key rotation end to end on a real SQLite file: values written under the
// first key are re-encrypted under a new one, the services keep reading
// them throughout, an interrupted rotation resumes instead of adding keys,
// values of the old format (not bound to their row) are rewritten bound to
// it, a value copied to another row no longer decrypts, and no plaintext
// name is ever in the database file.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "daemon/schema.h"
#include "identity/key_rotation.h"
#include "identity/secret_file.h"
#include "participants/participant_service.h"
#include "storage/sqlite/sqlite_database.h"

using namespace parcours;

namespace {

struct Fixture {
  std::filesystem::path folder;
  std::unique_ptr<storage::Database> db;
  std::string keyFile;
  core::SystemClock clock;
  std::unique_ptr<identity::KeyFileCipher> cipher;
  std::unique_ptr<identity::KeyedHasher> lookup;
  std::unique_ptr<participants::ParticipantService> service;

  Fixture() {
    folder = std::filesystem::temp_directory_path() / ("parcours-rotation-" + std::to_string(::getpid()) + "-" +
                                                       std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(folder);
    db = storage::openSqlite({.path = (folder / "p.db").string()});
    storage::migrate(*db, daemon::allMigrations());
    keyFile = (folder / "keys" / "fields.keys").string();
    cipher = std::make_unique<identity::KeyFileCipher>(keyFile);
    lookup = std::make_unique<identity::KeyedHasher>(identity::loadOrCreateSecret((folder / "lookup.key").string()));
    service = std::make_unique<participants::ParticipantService>(*db, *cipher, *lookup, clock,
                                                                 core::findZone("America/Toronto"));
  }
  ~Fixture() {
    service.reset();
    db.reset();
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }

  std::int64_t refer(const std::string& family) {
    participants::ReferralInput in;
    in.givenName = "Zéphyrine";
    in.familyName = family;
    in.birthDate = "1979-04-02";
    in.email = "zq@example.org";
    in.reference = "DPCP-XYZ-777";
    in.referredOn = "2026-11-01";
    return service->refer(in, {std::nullopt, "test"}).id.value();
  }

  std::string fileBytes() const {
    std::string all;
    for (const char* name : {"p.db", "p.db-wal"}) {
      std::ifstream in(folder / name, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }
};

}  // namespace

TEST_CASE("rotation re-encrypts every value under the new key, and reads keep working", "[key-rotation]") {
  Fixture f;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 25; ++i) ids.push_back(f.refer("Quarterbridge" + std::to_string(i)));
  const auto columns = daemon::allEncryptedColumns();
  CHECK(identity::valuesNeedingRotation(*f.db, f.keyFile, columns) == 0);
  CHECK(f.cipher->currentKeyId() == 1);

  const auto report = identity::rotateKeys(*f.db, f.keyFile, columns, 7);  // small batches
  CHECK(report.newKeyAdded);
  CHECK(report.keyId == 2);
  CHECK(report.reencrypted == 25 * 5);  // given, family, birth date, email, reference
  CHECK(identity::valuesNeedingRotation(*f.db, f.keyFile, columns) == 0);

  // The service built before the rotation reads the re-encrypted rows.
  const auto view = f.service->get(core::ParticipantId(ids[3]), {std::nullopt, "test"});
  CHECK(view.familyName == "Quarterbridge3");
  CHECK(view.givenName == "Zéphyrine");
  CHECK(view.email == std::optional<std::string>("zq@example.org"));
  CHECK(f.fileBytes().find("Quarterbridge") == std::string::npos);
  CHECK(f.fileBytes().find("zq@example.org") == std::string::npos);
}

TEST_CASE("an interrupted rotation resumes with the key it added", "[key-rotation]") {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.refer("Interrupted" + std::to_string(i));
  const auto columns = daemon::allEncryptedColumns();
  // The state a crash right after adding the key leaves: key 2 current,
  // every value still under key 1.
  identity::KeyRing::loadOrCreate(f.keyFile).withNewKey().save(f.keyFile);
  CHECK(identity::valuesNeedingRotation(*f.db, f.keyFile, columns) == 25);

  const auto resumed = identity::rotateKeys(*f.db, f.keyFile, columns);
  CHECK_FALSE(resumed.newKeyAdded);
  CHECK(resumed.keyId == 2);
  CHECK(resumed.reencrypted == 25);
  CHECK(identity::valuesNeedingRotation(*f.db, f.keyFile, columns) == 0);

  // A running service re-reads the key file (it checks at most once a
  // second), so its new writes go under the newest key.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const auto id = f.refer("AfterRotation");
  CHECK(f.service->get(core::ParticipantId(id), {std::nullopt, "test"}).familyName == "AfterRotation");
  CHECK(identity::valuesNeedingRotation(*f.db, f.keyFile, columns) == 0);
}

namespace {

// Rewrites every participant's family name as format 1 (sealed without its
// row id), the state a database written before values were bound to rows
// is in.
void downgradeFamilyNames(Fixture& f, const std::vector<std::int64_t>& ids) {
  const identity::FieldCipher old(identity::KeyRing::loadOrCreate(f.keyFile));
  f.db->transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    for (const auto id : ids) {
      const auto row = tx.queryOne("SELECT family_name_enc FROM participants WHERE id = ?", {id});
      const std::string family = f.cipher->decrypt(row->blob(0), "participants.family_name", id);
      tx.execute("UPDATE participants SET family_name_enc = ? WHERE id = ?",
                 {storage::Blob{old.encryptUnbound(family, "participants.family_name")}, id});
    }
  });
}

}  // namespace

TEST_CASE("rotation rewrites values of the old format bound to their row", "[key-rotation]") {
  Fixture f;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(f.refer("Unbound" + std::to_string(i)));
  const auto columns = daemon::allEncryptedColumns();
  downgradeFamilyNames(f, ids);
  // Old-format values still read, and `keys status` counts them as work.
  CHECK(f.service->get(core::ParticipantId(ids[2]), {std::nullopt, "test"}).familyName == "Unbound2");
  CHECK(identity::valuesNeedingRotation(*f.db, f.keyFile, columns) == 6);

  // They are all under the current key: the rotation adds a key as usual
  // and rewrites every value, the old-format ones bound to their row.
  const auto report = identity::rotateKeys(*f.db, f.keyFile, columns);
  CHECK(report.newKeyAdded);
  CHECK(report.keyId == 2);
  CHECK(report.reencrypted == 6 * 5);
  CHECK(identity::valuesNeedingRotation(*f.db, f.keyFile, columns) == 0);
  f.db->transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    for (const auto& row : tx.query("SELECT family_name_enc FROM participants")) CHECK(row.blob(0).at(0) == '\x02');
  });
  CHECK(f.service->get(core::ParticipantId(ids[5]), {std::nullopt, "test"}).familyName == "Unbound5");

  // Now bound: the value copied to another row no longer decrypts there.
  f.db->transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute(
        "UPDATE participants SET family_name_enc = (SELECT family_name_enc FROM participants WHERE id = ?)"
        " WHERE id = ?",
        {ids[0], ids[1]});
  });
  try {
    const auto view = f.service->get(core::ParticipantId(ids[1]), {std::nullopt, "test"});
    FAIL("read a value copied from another row: " << view.familyName);
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::internal);
    CHECK(std::string(e.what()) == "cannot decrypt a stored field");
  }
}

TEST_CASE("a value copied from one participant's row to another's does not decrypt", "[key-rotation]") {
  Fixture f;
  const auto first = f.refer("Copiedfrom");
  const auto second = f.refer("Copiedto");
  f.db->transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute(
        "UPDATE participants SET family_name_enc = (SELECT family_name_enc FROM participants WHERE id = ?)"
        " WHERE id = ?",
        {first, second});
  });
  CHECK(f.service->get(core::ParticipantId(first), {std::nullopt, "test"}).familyName == "Copiedfrom");
  CHECK_THROWS_WITH(f.service->get(core::ParticipantId(second), {std::nullopt, "test"}), "cannot decrypt a stored field");
}
