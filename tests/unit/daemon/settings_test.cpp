#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "daemon/command_line.h"
#include "daemon/settings.h"
#include "storage/database_url.h"

using namespace parcours;
using daemon::Settings;

namespace {
Settings::Getenv environment(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

std::string writeTempFile(const std::string& text) {
  static int counter = 0;
  const auto path = std::filesystem::temp_directory_path() / ("parcours-settings-" + std::to_string(::getpid()) + "-" +
                                                              std::to_string(++counter) + ".properties");
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

TEST_CASE("defaults, then file, then environment, then options", "[settings]") {
  const auto none = environment({});
  Settings defaults = Settings::load("", {}, none);
  CHECK(defaults.text("listen") == "127.0.0.1:8080");
  CHECK(defaults.text("database") == "sqlite:var/parcours.db");
  CHECK(defaults.source("listen") == "default");

  const std::string file = writeTempFile("listen = 127.0.0.1:9001\nhttp.max_threads = 8\n# comment\n");
  Settings fromFile = Settings::load(file, {}, none);
  CHECK(fromFile.text("listen") == "127.0.0.1:9001");
  CHECK(fromFile.integer("http.max_threads", 2, 100) == 8);
  CHECK(fromFile.source("listen") == file);

  Settings fromEnv = Settings::load(file, {}, environment({{"PARCOURS_LISTEN", "127.0.0.1:9002"}}));
  CHECK(fromEnv.text("listen") == "127.0.0.1:9002");
  CHECK(fromEnv.source("listen") == "environment");

  Settings fromOption =
      Settings::load(file, {{"listen", "127.0.0.1:9003"}}, environment({{"PARCOURS_LISTEN", "127.0.0.1:9002"}}));
  CHECK(fromOption.text("listen") == "127.0.0.1:9003");
  CHECK(fromOption.source("listen") == "command line");
  std::filesystem::remove(file);
}

TEST_CASE("unknown keys and out-of-range numbers are refused with the key named", "[settings]") {
  const std::string file = writeTempFile("htp.port = 3\n");
  CHECK_THROWS_WITH(Settings::load(file, {}, environment({})), Catch::Contains("htp.port"));
  CHECK_THROWS_WITH(Settings::load("", {{"nope", "1"}}, environment({})), Catch::Contains("nope"));
  CHECK_THROWS_WITH(Settings::load("/nonexistent/parcours.properties", {}, environment({})),
                    Catch::Contains("/nonexistent/parcours.properties"));
  Settings bad = Settings::load("", {{"http.max_threads", "lots"}}, environment({}));
  CHECK_THROWS_WITH(bad.integer("http.max_threads", 2, 4096), Catch::Contains("http.max_threads"));
  Settings tooBig = Settings::load("", {{"http.max_threads", "100000"}}, environment({}));
  CHECK_THROWS_AS(tooBig.integer("http.max_threads", 2, 4096), core::Error);
  std::filesystem::remove(file);
}

TEST_CASE("environment variable names follow the keys", "[settings]") {
  CHECK(daemon::environmentName("listen") == "PARCOURS_LISTEN");
  CHECK(daemon::environmentName("http.max_body_bytes") == "PARCOURS_HTTP_MAX_BODY_BYTES");
}

TEST_CASE("command line: commands, options with '=' or a separate value", "[command-line]") {
  auto cl = daemon::parseCommandLine({"--listen", "127.0.0.1:0", "--database=sqlite:/tmp/x.db", "--config", "p.props"});
  CHECK(cl.command.empty());
  CHECK(cl.overrides.at("listen") == "127.0.0.1:0");
  CHECK(cl.overrides.at("database") == "sqlite:/tmp/x.db");
  CHECK(cl.configFile == "p.props");

  cl = daemon::parseCommandLine({"migrate", "--set", "database.pool_size=4"});
  CHECK(cl.command == std::vector<std::string>{"migrate"});
  CHECK(cl.overrides.at("database.pool_size") == "4");

  CHECK_THROWS_WITH(daemon::parseCommandLine({"--bogus", "1"}), Catch::Contains("--bogus"));
  CHECK_THROWS_WITH(daemon::parseCommandLine({"--listen"}), Catch::Contains("needs a value"));
  CHECK_THROWS_AS(daemon::parseCommandLine({"--set", "novalue"}), core::Error);
  CHECK(daemon::parseCommandLine({"--help"}).help);
}

TEST_CASE("database URLs", "[database-url]") {
  auto url = storage::parseDatabaseUrl("sqlite:var/parcours.db");
  CHECK(url.dialect == storage::Dialect::sqlite);
  CHECK(url.path == "var/parcours.db");

  url = storage::parseDatabaseUrl("mysql://parcours:p%40ss%3Aw@127.0.0.1:33061/parcours_test");
  CHECK(url.dialect == storage::Dialect::mysql);
  CHECK(url.user == "parcours");
  CHECK(url.password == "p@ss:w");
  CHECK(url.host == "127.0.0.1");
  CHECK(url.port == 33061);
  CHECK(url.database == "parcours_test");
  CHECK(storage::redact(url) == "mysql://parcours:***@127.0.0.1:33061/parcours_test");

  CHECK(storage::parseDatabaseUrl("mysql://u@db.example/x").port == 3306);
  for (const char* bad : {"", "postgres://u@h/db", "sqlite:", "mysql://host/db", "mysql://u@h:0/db",
                          "mysql://u@h:99999/db", "mysql://u@h:12/", "mysql://u@h/db;drop", "mysql://u:%zz@h/db"}) {
    INFO(bad);
    CHECK_THROWS_WITH(storage::parseDatabaseUrl(bad), Catch::Contains("database URL"));
  }
}

TEST_CASE("docs/configuration.md documents every key with its default", "[settings][docs]") {
  std::ifstream in(PARCOURS_SOURCE_DIR "/docs/configuration.md");
  REQUIRE(in.good());
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& spec : daemon::settingSpecs()) {
    INFO(spec.key);
    CHECK_THAT(doc, Catch::Contains("| `" + spec.key + "` | `" + spec.defaultValue + "` | `" +
                                    daemon::environmentName(spec.key) + "` |"));
  }
}
