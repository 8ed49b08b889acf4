#include "identity/password_hasher.h"

#include <catch2/catch.hpp>

#include "core/error.h"

using namespace parcours::identity;
using parcours::core::Error;
using parcours::core::ErrorCode;

TEST_CASE("a password verifies against its own hash and no other", "[password]") {
  const std::string encoded = hashPassword("correct horse battery staple");
  CHECK(encoded.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(verifyPassword("correct horse battery staple", encoded));
  CHECK_FALSE(verifyPassword("correct horse battery stapler", encoded));
  CHECK_FALSE(verifyPassword("", encoded));
  CHECK_FALSE(needsRehash(encoded));
}

TEST_CASE("two hashes of one password differ by their salt", "[password]") {
  const std::string a = hashPassword("mot de passe très long");
  const std::string b = hashPassword("mot de passe très long");
  CHECK(a != b);
  CHECK(verifyPassword("mot de passe très long", b));
}

TEST_CASE("a malformed or foreign encoded hash never verifies", "[password]") {
  const std::string good = hashPassword("correct horse battery staple");
  CHECK_FALSE(verifyPassword("correct horse battery staple", ""));
  CHECK_FALSE(verifyPassword("correct horse battery staple", "plaintext"));
  CHECK_FALSE(verifyPassword("correct horse battery staple", "$argon2id$v=19$m=19456,t=2,p=1$$"));
  CHECK_FALSE(verifyPassword("correct horse battery staple", good.substr(0, good.size() - 5)));
  std::string argon2i = good;
  argon2i.replace(0, 9, "$argon2i");  // same bytes, another variant
  CHECK_FALSE(verifyPassword("correct horse battery staple", argon2i));
  CHECK(needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"));
}

TEST_CASE("the dummy hash is valid, fixed, and matches nothing we know", "[password]") {
  const std::string& dummy = dummyPasswordHash();
  CHECK(dummy.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(&dummy == &dummyPasswordHash());
  CHECK_FALSE(verifyPassword("", dummy));
  CHECK_FALSE(verifyPassword("correct horse battery staple", dummy));
}

TEST_CASE("password policy: 12 characters to 1024 bytes", "[password]") {
  CHECK_NOTHROW(requireAcceptablePassword("twelve chars"));
  CHECK_NOTHROW(requireAcceptablePassword(std::string(1024, 'x')));
  // 12 code points in 24 bytes: counted as characters, not bytes.
  CHECK_NOTHROW(requireAcceptablePassword("éééééééééééé"));

  for (const std::string& bad :
       {std::string(), std::string("eleven char"), std::string("ééééééééééé"), std::string(1025, 'x')}) {
    CAPTURE(bad.size());
    try {
      requireAcceptablePassword(bad);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::unprocessable);
      REQUIRE(e.fieldErrors().size() == 1);
      CHECK(e.fieldErrors()[0].field == "password");
    }
  }
}
