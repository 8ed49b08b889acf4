#include "identity/private_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "identity/secret_file.h"

using namespace parcours::identity;
namespace fs = std::filesystem;

namespace {
struct TempFolder {
  fs::path path = fs::temp_directory_path() / ("parcours-private-" + std::to_string(::getpid()) + "-" +
                                               std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  ~TempFolder() { fs::remove_all(path); }
};
unsigned mode(const fs::path& p) {
  struct stat info {};
  REQUIRE(::stat(p.c_str(), &info) == 0);
  return info.st_mode & 07777;
}
std::string contents(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("a private file is created 0600 in folders made 0700, and never over another", "[private-file]") {
  const mode_t old = ::umask(022);  // a lenient umask must not matter
  TempFolder t;
  const fs::path file = t.path / "keys" / "secret.key";
  CHECK(createPrivateFile(file.string(), "first\n", "secret file"));
  ::umask(old);
  CHECK(mode(t.path) == 0700);
  CHECK(mode(t.path / "keys") == 0700);
  CHECK(mode(file) == 0600);
  CHECK(contents(file) == "first\n");
  CHECK_FALSE(createPrivateFile(file.string(), "second\n", "secret file"));  // another process won
  CHECK(contents(file) == "first\n");
  CHECK(readPrivateFile(file.string(), 100, "secret file") == std::optional<std::string>("first\n"));
}

TEST_CASE("a replaced private file is swapped whole and stays 0600", "[private-file]") {
  TempFolder t;
  const fs::path file = t.path / "fields.keys";
  replacePrivateFile(file.string(), "one", "key file");
  replacePrivateFile(file.string(), "two, longer", "key file");
  CHECK(contents(file) == "two, longer");
  CHECK(mode(file) == 0600);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(t.path)) ++entries;
  CHECK(entries == 1);  // no temporary file left behind
}

TEST_CASE("a private file is refused when others may read it, when it is no file, or too large", "[private-file]") {
  TempFolder t;
  const fs::path file = t.path / "secret.key";
  CHECK_FALSE(readPrivateFile(file.string(), 100, "secret file").has_value());  // absent: nothing, no error
  REQUIRE(createPrivateFile(file.string(), std::string(64, 'a') + "\n", "secret file"));
  CHECK_THROWS_AS(readPrivateFile(file.string(), 10, "secret file"), parcours::core::Error);
  fs::permissions(file, fs::perms::group_read, fs::perm_options::add);
  CHECK_THROWS_WITH(readPrivateFile(file.string(), 100, "secret file"), Catch::Contains("chmod 600"));
  CHECK_THROWS_WITH(loadOrCreateSecret(file.string()), Catch::Contains("chmod 600"));
  fs::create_directories(t.path / "folder");
  ::chmod((t.path / "folder").c_str(), 0700);
  CHECK_THROWS_WITH(readPrivateFile((t.path / "folder").string(), 100, "key file"),
                    Catch::Contains("not a regular file"));
}

TEST_CASE("a secret file is made once and read back the same", "[private-file]") {
  TempFolder t;
  const std::string path = (t.path / "lookup.key").string();
  const std::string secret = loadOrCreateSecret(path);
  CHECK(secret.size() == 32);
  CHECK(loadOrCreateSecret(path) == secret);
  CHECK(mode(path) == 0600);
}
