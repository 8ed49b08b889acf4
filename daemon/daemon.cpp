#include "daemon/daemon.h"

#include <csignal>
#include <iostream>
#include <thread>

#include <Poco/Logger.h>

#include "api/http_server.h"
#include "api/web_site.h"
#include "core/error.h"
#include "daemon/open_database.h"
#include "daemon/routes.h"
#include "daemon/schema.h"
#include "daemon/services.h"
#include "storage/database_url.h"

namespace parcours::daemon {

namespace {

Poco::Logger& log() {
  return Poco::Logger::get("parcours.daemon");
}

std::unique_ptr<storage::Database> openAndMigrate(const Settings& settings) {
  const std::string url = settings.text("database");
  const auto redacted = storage::redact(storage::parseDatabaseUrl(url));
  const auto pool = static_cast<std::size_t>(settings.integer("database.pool_size", 1, 512));
  const auto wait = std::chrono::seconds(settings.integer("database.startup_wait_seconds", 0, 3600));
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    try {
      auto database = openDatabase(url, pool);
      const auto applied = storage::migrate(*database, allMigrations());
      for (const auto& id : applied) log().information("applied migration " + id);
      log().information("database " + redacted + " ready (" + std::to_string(applied.size()) + " migrations applied)");
      return database;
    } catch (const core::Error& e) {
      if (e.code() != core::ErrorCode::unavailable || std::chrono::steady_clock::now() >= deadline) throw;
      log().warning("database " + redacted + " unavailable, retrying: " + e.what());
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

api::ServerOptions serverOptions(const Settings& settings) {
  api::ServerOptions options;
  const std::string& listen = settings.text("listen");
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw core::Error(core::ErrorCode::bad_request, "listen must be HOST:PORT, got '" + listen + "'", "listen");
  }
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[')
    options.host = options.host.substr(1, options.host.size() - 2);
  try {
    std::size_t used = 0;
    options.port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || options.port < 0 || options.port > 65535) throw std::out_of_range("port");
  } catch (const std::logic_error&) {
    throw core::Error(core::ErrorCode::bad_request, "listen must be HOST:PORT, got '" + listen + "'", "listen");
  }
  options.maxThreads = static_cast<int>(settings.integer("http.max_threads", 2, 4096));
  options.maxQueued = static_cast<int>(settings.integer("http.max_queued", 1, 65536));
  options.keepAliveTimeout = std::chrono::seconds(settings.integer("http.keep_alive_seconds", 1, 3600));
  options.requestDeadline = std::chrono::seconds(settings.integer("http.request_deadline_seconds", 1, 3600));
  options.maxConnections = static_cast<int>(settings.integer("http.max_connections", 16, 1000000));
  options.maxConnectionsPerAddress = static_cast<int>(settings.integer("http.max_connections_per_address", 1, 65536));
  options.trustedProxies = api::TrustedProxies::parse(settings.text("http.trusted_proxies"));
  options.maxBodyBytes = static_cast<std::size_t>(settings.integer("http.max_body_bytes", 1024, 1073741824));
  // Read at each request: a missing folder only makes the pages 404.
  const std::string& webRoot = settings.text("http.web_root");
  options.site = std::make_shared<api::WebSite>(webRoot.empty() ? std::string(PARCOURS_DEFAULT_WEB_ROOT) : webRoot);
  return options;
}

// Blocks until SIGTERM or SIGINT arrives; returns the signal's name.
const char* awaitTermination() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int received = 0;
  while (sigwait(&signals, &received) != 0) {
  }
  return received == SIGTERM ? "SIGTERM" : "SIGINT";
}

}  // namespace

int serve(const Settings& settings) {
  const api::ServerOptions options = serverOptions(settings);
  const auto grace = std::chrono::seconds(settings.integer("shutdown.grace_seconds", 0, 600));
  auto database = openAndMigrate(settings);

  Services services(settings, *database);
  if (!settings.text("testing.clock_offset_file").empty()) {
    log().warning("testing.clock_offset_file is set: the clock is shifted by that file (tests only)");
  }
  services.startBackground(*database);
  api::Metrics metrics;
  api::Router router;
  addAllRoutes(router, services, *database, metrics);

  api::HttpServer server(router, metrics, options);
  server.start();
  log().information("listening on http://" + options.host + ":" + std::to_string(server.port()));
  // Tests and scripts read this line to learn the port (listen port 0).
  std::cout << "parcoursd listening on http://" << options.host << ":" << server.port() << std::endl;

  const char* why = awaitTermination();
  log().information(std::string(why) + " received: draining requests in flight");
  server.stop(grace);
  services.stopBackground();
  log().information("stopped");
  return 0;
}

int createAdmin(const Settings& settings, const std::string& email, const std::optional<std::string>& password) {
  auto database = openDatabase(settings.text("database"), 2);
  storage::migrate(*database, allMigrations());
  Services services(settings, *database);
  identity::NewUser user;
  user.email = email;
  user.displayName = "Administrator";
  user.role = identity::Role::admin;
  user.password = password;
  // A password typed here is the operator's own choice; a printed one-time
  // password must be changed at first sign-in.
  user.mustChangePassword = !password.has_value();
  const auto created = services.identity().createUser(user, {std::nullopt, "cli-admin-create"});
  std::cout << "admin " << created.user.email << " created (id " << created.user.id.value() << ")\n";
  if (created.oneTimePassword) std::cout << "one-time password: " << *created.oneTimePassword << '\n';
  return 0;
}

int rotateKeys(const Settings& settings) {
  auto database = openDatabase(settings.text("database"), 2);
  storage::migrate(*database, allMigrations());
  const auto report = identity::rotateKeys(*database, settings.text("security.key_file"), allEncryptedColumns());
  std::cout << (report.newKeyAdded ? "added key " : "resumed rotation to key ") << report.keyId << "; "
            << report.reencrypted << " value(s) re-encrypted\n";
  const auto left =
      identity::valuesNeedingRotation(*database, settings.text("security.key_file"), allEncryptedColumns());
  std::cout << left << " value(s) left under older keys or not bound to their row"
            << (left ? " (run again to finish)" : "") << '\n';
  return left == 0 ? 0 : 1;
}

int keyStatus(const Settings& settings) {
  auto database = openDatabase(settings.text("database"), 2);
  const auto left =
      identity::valuesNeedingRotation(*database, settings.text("security.key_file"), allEncryptedColumns());
  std::cout << left << " value(s) under older keys than the current one or not bound to their row\n";
  return 0;
}

int migrateOnly(const Settings& settings) {
  auto database =
      openDatabase(settings.text("database"), static_cast<std::size_t>(settings.integer("database.pool_size", 1, 512)));
  const auto applied = storage::migrate(*database, allMigrations());
  for (const auto& id : applied) std::cout << "applied " << id << '\n';
  std::cout << applied.size() << " migration(s) applied; " << storage::appliedMigrations(*database).size()
            << " in total\n";
  return 0;
}

}  // namespace parcours::daemon
