#include "identity/field_cipher.h"

#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.h"

using namespace parcours::identity;
using parcours::core::Error;
using parcours::core::ErrorCode;

namespace {

constexpr std::string_view kFamily = "participants.family_name";
constexpr std::size_t kOverhead = 1 + 4 + 12 + 16;
constexpr std::int64_t kRow = 1;  // the id of the row holding the value

// Requires decrypt() to fail with the one, content-free message.
void requireDecryptFailure(const FieldCipher& cipher, std::string_view ciphertext, std::string_view context,
                           std::int64_t row = kRow) {
  try {
    const std::string plaintext = cipher.decrypt(ciphertext, context, row);
    FAIL("decrypted to " << plaintext.size() << " bytes");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::internal);
    CHECK(std::string(e.what()) == "cannot decrypt a stored field");
  }
}

}  // namespace

TEST_CASE("encrypt and decrypt round-trip", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string accented = "Éloïse Côté-Tremblay, Nguyễn Thị Minh Khai, Łukasz Żółć, 北京";
  for (const std::string& plaintext :
       {std::string(), std::string("Tremblay"), accented, std::string(10'000, 'n'), std::string("bin\0ary\xff", 8)}) {
    CAPTURE(plaintext.size());
    const std::string ciphertext = cipher.encrypt(plaintext, kFamily, kRow);
    CHECK(ciphertext.size() == plaintext.size() + kOverhead);
    CHECK(cipher.decrypt(ciphertext, kFamily, kRow) == plaintext);
  }
}

TEST_CASE("the ciphertext holds no plaintext and differs each time", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string a = cipher.encrypt("Tremblay", kFamily, kRow);
  const std::string b = cipher.encrypt("Tremblay", kFamily, kRow);
  CHECK(a != b);
  CHECK(a.substr(5, 12) != b.substr(5, 12));  // fresh nonce
  CHECK(a.find("Tremblay") == std::string::npos);
  CHECK(a[0] == '\x02');                                  // format 2: bound to its row
  CHECK(a.substr(1, 4) == std::string("\0\0\0\x01", 4));  // key id 1, big-endian
}

TEST_CASE("any changed byte makes decryption fail", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string ciphertext = cipher.encrypt("Côté", kFamily, kRow);
  for (std::size_t i = 0; i < ciphertext.size(); ++i) {
    CAPTURE(i);
    std::string tampered = ciphertext;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    requireDecryptFailure(cipher, tampered, kFamily);
  }
}

TEST_CASE("truncated or empty values fail to decrypt", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string ciphertext = cipher.encrypt("", kFamily, kRow);
  REQUIRE(ciphertext.size() == kOverhead);
  requireDecryptFailure(cipher, "", kFamily);
  requireDecryptFailure(cipher, ciphertext.substr(0, kOverhead - 1), kFamily);
  requireDecryptFailure(cipher, ciphertext + "x", kFamily);
  CHECK_THROWS_AS(cipher.keyIdOf(""), Error);
}

TEST_CASE("a ciphertext moved to another column fails to decrypt", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string ciphertext = cipher.encrypt("Tremblay", kFamily, kRow);
  requireDecryptFailure(cipher, ciphertext, "participants.given_name");
  requireDecryptFailure(cipher, ciphertext, "");
}

TEST_CASE("another ring's key cannot decrypt", "[cipher]") {
  const FieldCipher mine(KeyRing::generate());
  const FieldCipher theirs(KeyRing::generate());  // also key id 1, different bytes
  requireDecryptFailure(theirs, mine.encrypt("Tremblay", kFamily, kRow), kFamily);
}

TEST_CASE("key rotation: old values stay readable, new ones use the new key", "[cipher]") {
  const KeyRing ringA = KeyRing::generate();
  const FieldCipher before(ringA);
  const std::string old = before.encrypt("Tremblay", kFamily, kRow);

  const KeyRing ringB = ringA.withNewKey();
  CHECK(ringA.currentId() == 1);
  CHECK(ringB.currentId() == 2);
  CHECK(ringB.has(1));
  CHECK_FALSE(ringA.has(2));

  const FieldCipher after(ringB);
  CHECK(after.decrypt(old, kFamily, kRow) == "Tremblay");
  CHECK(after.keyIdOf(old) == 1);
  CHECK(after.needsRotation(old));

  const std::string fresh = after.encrypt("Tremblay", kFamily, kRow);
  CHECK(after.keyIdOf(fresh) == 2);
  CHECK_FALSE(after.needsRotation(fresh));
  CHECK(after.decrypt(fresh, kFamily, kRow) == "Tremblay");

  // The old ring does not know key 2: an unknown key id fails.
  requireDecryptFailure(before, fresh, kFamily);
}

TEST_CASE("a rewritten key id fails even when the ring has that key", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate().withNewKey());
  std::string ciphertext = cipher.encrypt("Tremblay", kFamily, kRow);
  ciphertext[4] = '\x01';  // claim key 1
  requireDecryptFailure(cipher, ciphertext, kFamily);
  ciphertext[4] = '\x07';  // a key nobody has
  requireDecryptFailure(cipher, ciphertext, kFamily);
}

TEST_CASE("one cipher serves several threads at once", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (std::size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&cipher, &failures, t] {
      for (int i = 0; i < 500; ++i) {
        const std::string plaintext = "name " + std::to_string(t) + "/" + std::to_string(i);
        if (cipher.decrypt(cipher.encrypt(plaintext, kFamily, kRow), kFamily, kRow) != plaintext) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == std::vector<int>(4, 0));
}

TEST_CASE("a value sealed for one row fails to open for another", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string sealed = cipher.encrypt("Tremblay", kFamily, 1);
  CHECK(cipher.decrypt(sealed, kFamily, 1) == "Tremblay");
  // Copied to row 2 (or any other), it is refused with the one clear error,
  // never read as if it were that row's.
  requireDecryptFailure(cipher, sealed, kFamily, 2);
  requireDecryptFailure(cipher, sealed, kFamily, -1);
  requireDecryptFailure(cipher, sealed, kFamily, std::int64_t{1} << 32 | 1);  // same low bits
  requireDecryptFailure(cipher, sealed, kFamily, 0);
}

TEST_CASE("a value of format 1 (not bound to a row) still decrypts and needs rotation", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string old = cipher.encryptUnbound("Tremblay", kFamily);
  CHECK(old[0] == '\x01');
  CHECK(old.size() == std::string("Tremblay").size() + kOverhead);
  CHECK(cipher.decrypt(old, kFamily, 1) == "Tremblay");  // any row: it names none
  CHECK(cipher.decrypt(old, kFamily, 2) == "Tremblay");
  requireDecryptFailure(cipher, old, "participants.given_name");  // still bound to its column
  CHECK(cipher.needsRotation(old));                               // under the current key, but of the old format
  CHECK_FALSE(cipher.needsRotation(cipher.encrypt("Tremblay", kFamily, 1)));

  // A format-1 value relabelled as format 2 fails: the version is authenticated.
  std::string relabelled = old;
  relabelled[0] = '\x02';
  requireDecryptFailure(cipher, relabelled, kFamily);
  // And a format-2 value relabelled as format 1 too.
  std::string downgraded = cipher.encrypt("Tremblay", kFamily, kRow);
  downgraded[0] = '\x01';
  requireDecryptFailure(cipher, downgraded, kFamily);
  // An unknown format fails.
  std::string unknown = old;
  unknown[0] = '\x03';
  requireDecryptFailure(cipher, unknown, kFamily);
}
