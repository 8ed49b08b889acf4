// docs/openapi.yaml must stay true to the daemon: every route the daemon
// registers is documented under its path and method.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "daemon/routes.h"
#include "daemon/schema.h"
#include "storage/sqlite/sqlite_database.h"

using namespace parcours;

TEST_CASE("every served route is in docs/openapi.yaml", "[openapi]") {
  const auto folder = std::filesystem::temp_directory_path() / ("parcours-routes-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  auto settings = daemon::Settings::load("",
                                         {{"security.key_file", (folder / "fields.keys").string()},
                                          {"security.lookup_key_file", (folder / "lookup.key").string()},
                                          {"security.digest_key_file", (folder / "digest.key").string()}},
                                         [](const std::string&) { return std::optional<std::string>(); });
  auto db = storage::openSqlite({.path = (folder / "p.db").string()});
  storage::migrate(*db, daemon::allMigrations());
  daemon::Services services(settings, *db);
  api::Metrics metrics;
  api::Router router;
  daemon::addAllRoutes(router, services, *db, metrics);

  std::ifstream in(PARCOURS_SOURCE_DIR "/docs/openapi.yaml");
  REQUIRE(in.good());
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(router.routes().size() >= 19);
  for (const auto& route : router.routes()) {
    INFO(route.method << " " << route.pattern);
    const auto path = doc.find("\n  " + route.pattern + ":");
    REQUIRE(path != std::string::npos);
    // The method appears in that path's block (before the next path).
    const auto next = doc.find("\n  /", path + 1);
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto op = doc.find("\n    " + method + ":", path);
    CHECK((op != std::string::npos && (next == std::string::npos || op < next)));
  }
  db.reset();
  std::filesystem::remove_all(folder);
}
