#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "core/error.h"
#include "identity/field_cipher.h"
#include "identity/secure_random.h"

using namespace parcours::identity;
using parcours::core::Error;
using parcours::core::ErrorCode;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp folder, removed at the end of the test.
struct TempFolder {
  fs::path path = fs::temp_directory_path() / ("parcours-keys-" + hex(randomBytes(8)));
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

unsigned modeOf(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

void writeFile(const fs::path& path, const std::string& text, fs::perms perms) {
  std::ofstream(path) << text;
  fs::permissions(path, perms);
}

std::string readFile(const fs::path& path) {
  std::ostringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

// Requires fromFileText to refuse `text` naming `line`, without echoing `secret`.
void requireRefusedAtLine(const std::string& text, int line, const std::string& secret) {
  try {
    KeyRing::fromFileText(text);
    FAIL("accepted");
  } catch (const Error& e) {
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(e.code() == ErrorCode::bad_request);
    CHECK(message.find("line " + std::to_string(line) + ":") != std::string::npos);
    if (!secret.empty()) CHECK(message.find(secret) == std::string::npos);
  }
}

constexpr std::string_view kKey1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";  // bytes 0..31
constexpr std::string_view kKey2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";  // bytes 32..63

}  // namespace

TEST_CASE("key file text: ids, comments, blank lines", "[keys]") {
  const std::string text = "# keys\n\n1:" + std::string(kKey1) + "\r\n  # old\n 7 : " + std::string(kKey2) + "  \n";
  const KeyRing ring = KeyRing::fromFileText(text);
  CHECK(ring.currentId() == 7);
  CHECK(ring.has(1));
  CHECK(ring.has(7));
  CHECK_FALSE(ring.has(2));

  const std::string written = ring.toFileText();
  CHECK(written.find("1:" + std::string(kKey1) + "\n") != std::string::npos);
  CHECK(written.find("7:" + std::string(kKey2) + "\n") != std::string::npos);
  // Written text reads back to the same keys: what one encrypts the other decrypts.
  const FieldCipher original(ring);
  const FieldCipher reread(KeyRing::fromFileText(written));
  CHECK(reread.decrypt(original.encrypt("Côté", "t.c", 1), "t.c", 1) == "Côté");
}

TEST_CASE("malformed key files are refused by line number, never echoing the key", "[keys]") {
  const std::string key1(kKey1);
  const std::string shortKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==";        // 31 bytes
  requireRefusedAtLine("# header\n" + key1 + "\n", 2, key1.substr(0, 12));            // no id
  requireRefusedAtLine("1:" + key1 + "\n\n" + key1 + ":1\n", 3, key1.substr(0, 12));  // swapped
  requireRefusedAtLine("x:" + key1 + "\n", 1, key1.substr(0, 12));                    // bad id
  requireRefusedAtLine("-1:" + key1 + "\n", 1, key1.substr(0, 12));                   // negative id
  requireRefusedAtLine("4294967296:" + key1 + "\n", 1, key1.substr(0, 12));           // id too large
  requireRefusedAtLine("1:" + shortKey + "\n", 1, shortKey.substr(0, 12));            // 31 bytes
  requireRefusedAtLine("1:" + key1 + "AAAA\n", 1, key1.substr(0, 12));                // 35 bytes
  requireRefusedAtLine("1:" + key1.substr(0, 43) + "\n", 1, key1.substr(0, 12));      // no padding
  requireRefusedAtLine("1:" + key1.substr(0, 42) + "!=\n", 1, key1.substr(0, 12));    // bad character
  requireRefusedAtLine("1:" + key1.substr(0, 42) + "f=\n", 1, key1.substr(0, 12));    // non-canonical
  requireRefusedAtLine("1:" + key1 + "\n1:" + std::string(kKey2) + "\n", 2, std::string(kKey2).substr(0, 12));

  for (const std::string empty : {"", "\n\n", "# only a comment\n"}) {
    CHECK_THROWS_MATCHES(KeyRing::fromFileText(empty), Error, Catch::Matchers::Predicate<Error>([](const Error& e) {
                           return e.code() == ErrorCode::bad_request;
                         }));
  }
}

TEST_CASE("loadOrCreate creates a private key file and folder, then reads it back", "[keys]") {
  const TempFolder temp;
  const fs::path path = temp.path / "nested" / "field.keys";

  const KeyRing created = KeyRing::loadOrCreate(path.string());
  CHECK(created.currentId() == 1);
  CHECK(modeOf(path) == 0600);
  CHECK((modeOf(path.parent_path()) & 077) == 0);

  const KeyRing loaded = KeyRing::loadOrCreate(path.string());
  CHECK(loaded.toFileText() == created.toFileText());
  CHECK(readFile(path) == created.toFileText());
}

TEST_CASE("a key file others can read is refused", "[keys]") {
  const TempFolder temp;
  fs::create_directories(temp.path);
  const fs::path path = temp.path / "field.keys";
  const std::string text = KeyRing::generate().toFileText();

  writeFile(path, text,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);  // 0644
  try {
    KeyRing::loadOrCreate(path.string());
    FAIL("accepted a 0644 key file");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::bad_request);
    CHECK(std::string(e.what()).find("chmod 600") != std::string::npos);
  }
  CHECK(readFile(path) == text);  // left untouched

  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read);  // 0440: group alone is enough to refuse
  CHECK_THROWS_AS(KeyRing::loadOrCreate(path.string()), Error);

  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);  // 0600
  CHECK(KeyRing::loadOrCreate(path.string()).toFileText() == text);
}

TEST_CASE("a malformed key file is refused naming the file and the line", "[keys]") {
  const TempFolder temp;
  fs::create_directories(temp.path);
  const fs::path path = temp.path / "field.keys";
  writeFile(path, "# mine\nnot a key at all\n", fs::perms::owner_read | fs::perms::owner_write);
  try {
    KeyRing::loadOrCreate(path.string());
    FAIL("accepted");
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK(message.find(path.string()) != std::string::npos);
    CHECK(message.find("line 2") != std::string::npos);
    CHECK(message.find("not a key") == std::string::npos);
  }
}

TEST_CASE("save writes a rotated ring atomically with mode 0600", "[keys]") {
  const TempFolder temp;
  const fs::path path = temp.path / "field.keys";
  const KeyRing first = KeyRing::loadOrCreate(path.string());
  const KeyRing rotated = first.withNewKey();
  rotated.save(path.string());

  CHECK(modeOf(path) == 0600);
  const KeyRing reloaded = KeyRing::loadOrCreate(path.string());
  CHECK(reloaded.currentId() == 2);
  CHECK(reloaded.toFileText() == rotated.toFileText());
  CHECK(std::distance(fs::directory_iterator(temp.path), fs::directory_iterator()) == 1);  // no temp file left

  const FieldCipher oldCipher(first);
  const FieldCipher newCipher(reloaded);
  CHECK(newCipher.decrypt(oldCipher.encrypt("Côté", "t.c", 1), "t.c", 1) == "Côté");
}
