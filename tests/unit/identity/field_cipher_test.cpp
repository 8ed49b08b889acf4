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

// Requires decrypt() to fail with the one, content-free message.
void requireDecryptFailure(const FieldCipher& cipher, std::string_view ciphertext, std::string_view context) {
  try {
    const std::string plaintext = cipher.decrypt(ciphertext, context);
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
    const std::string ciphertext = cipher.encrypt(plaintext, kFamily);
    CHECK(ciphertext.size() == plaintext.size() + kOverhead);
    CHECK(cipher.decrypt(ciphertext, kFamily) == plaintext);
  }
}

TEST_CASE("the ciphertext holds no plaintext and differs each time", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string a = cipher.encrypt("Tremblay", kFamily);
  const std::string b = cipher.encrypt("Tremblay", kFamily);
  CHECK(a != b);
  CHECK(a.substr(5, 12) != b.substr(5, 12));  // fresh nonce
  CHECK(a.find("Tremblay") == std::string::npos);
  CHECK(a[0] == '\x01');
  CHECK(a.substr(1, 4) == std::string("\0\0\0\x01", 4));  // key id 1, big-endian
}

TEST_CASE("any changed byte makes decryption fail", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string ciphertext = cipher.encrypt("Côté", kFamily);
  for (std::size_t i = 0; i < ciphertext.size(); ++i) {
    CAPTURE(i);
    std::string tampered = ciphertext;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    requireDecryptFailure(cipher, tampered, kFamily);
  }
}

TEST_CASE("truncated or empty values fail to decrypt", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string ciphertext = cipher.encrypt("", kFamily);
  REQUIRE(ciphertext.size() == kOverhead);
  requireDecryptFailure(cipher, "", kFamily);
  requireDecryptFailure(cipher, ciphertext.substr(0, kOverhead - 1), kFamily);
  requireDecryptFailure(cipher, ciphertext + "x", kFamily);
  CHECK_THROWS_AS(cipher.keyIdOf(""), Error);
}

TEST_CASE("a ciphertext moved to another column fails to decrypt", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate());
  const std::string ciphertext = cipher.encrypt("Tremblay", kFamily);
  requireDecryptFailure(cipher, ciphertext, "participants.given_name");
  requireDecryptFailure(cipher, ciphertext, "");
}

TEST_CASE("another ring's key cannot decrypt", "[cipher]") {
  const FieldCipher mine(KeyRing::generate());
  const FieldCipher theirs(KeyRing::generate());  // also key id 1, different bytes
  requireDecryptFailure(theirs, mine.encrypt("Tremblay", kFamily), kFamily);
}

TEST_CASE("key rotation: old values stay readable, new ones use the new key", "[cipher]") {
  const KeyRing ringA = KeyRing::generate();
  const FieldCipher before(ringA);
  const std::string old = before.encrypt("Tremblay", kFamily);

  const KeyRing ringB = ringA.withNewKey();
  CHECK(ringA.currentId() == 1);
  CHECK(ringB.currentId() == 2);
  CHECK(ringB.has(1));
  CHECK_FALSE(ringA.has(2));

  const FieldCipher after(ringB);
  CHECK(after.decrypt(old, kFamily) == "Tremblay");
  CHECK(after.keyIdOf(old) == 1);
  CHECK(after.needsRotation(old));

  const std::string fresh = after.encrypt("Tremblay", kFamily);
  CHECK(after.keyIdOf(fresh) == 2);
  CHECK_FALSE(after.needsRotation(fresh));
  CHECK(after.decrypt(fresh, kFamily) == "Tremblay");

  // The old ring does not know key 2: an unknown key id fails.
  requireDecryptFailure(before, fresh, kFamily);
}

TEST_CASE("a rewritten key id fails even when the ring has that key", "[cipher]") {
  const FieldCipher cipher(KeyRing::generate().withNewKey());
  std::string ciphertext = cipher.encrypt("Tremblay", kFamily);
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
        if (cipher.decrypt(cipher.encrypt(plaintext, kFamily), kFamily) != plaintext) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == std::vector<int>(4, 0));
}
