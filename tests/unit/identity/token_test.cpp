#include "identity/token.h"

#include <set>

#include <catch2/catch.hpp>

#include "identity/secure_random.h"

using namespace parcours::identity;

namespace {
bool allOf(std::string_view s, std::string_view alphabet) {
  return s.find_first_not_of(alphabet) == s.npos;
}
constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}  // namespace

TEST_CASE("randomBytes gives the requested length, different each time", "[random]") {
  CHECK(randomBytes(0).empty());
  const std::string a = randomBytes(32);
  const std::string b = randomBytes(32);
  CHECK(a.size() == 32);
  CHECK(a != b);
}

TEST_CASE("base64url and hex follow RFC 4648 test vectors", "[random]") {
  CHECK(base64url("").empty());
  CHECK(base64url("f") == "Zg");
  CHECK(base64url("fo") == "Zm8");
  CHECK(base64url("foo") == "Zm9v");
  CHECK(base64url("foobar") == "Zm9vYmFy");
  CHECK(base64url("\xfb\xff\xfe") == "-__-");
  CHECK(hex("").empty());
  CHECK(hex(std::string("\x00\x0f\xab\xff", 4)) == "000fabff");
}

TEST_CASE("a token is the prefix and 256 random bits in base64url", "[token]") {
  const IssuedToken token = newToken("pcs_");
  REQUIRE(token.secret.rfind("pcs_", 0) == 0);
  const std::string body = token.secret.substr(4);
  CHECK(body.size() == 43);
  CHECK(allOf(body, kBase64Url));
  CHECK(token.hash.size() == 64);
  CHECK(allOf(token.hash, "0123456789abcdef"));
  CHECK(token.hash == tokenHash(token.secret));
  CHECK(token.hash != tokenHash(body));
}

TEST_CASE("tokens and their hashes differ each time", "[token]") {
  std::set<std::string> secrets;
  std::set<std::string> hashes;
  for (int i = 0; i < 100; ++i) {
    const IssuedToken token = newToken("pca_");
    secrets.insert(token.secret);
    hashes.insert(token.hash);
  }
  CHECK(secrets.size() == 100);
  CHECK(hashes.size() == 100);
}

TEST_CASE("tokenHash is hex SHA-256", "[token]") {
  CHECK(tokenHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(tokenHash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("constantTimeEquals compares content and length", "[token]") {
  CHECK(constantTimeEquals("", ""));
  CHECK(constantTimeEquals("abc", "abc"));
  CHECK_FALSE(constantTimeEquals("abc", "abd"));
  CHECK_FALSE(constantTimeEquals("abc", "abcd"));
  CHECK_FALSE(constantTimeEquals("", "a"));
  const std::string hash = tokenHash("pcs_x");
  CHECK(constantTimeEquals(hash, tokenHash("pcs_x")));
  CHECK_FALSE(constantTimeEquals(hash, tokenHash("pcs_y")));
}
