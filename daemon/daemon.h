#pragma once
// The daemon's commands, wired from settings: serving HTTP and migrating.

#include <optional>
#include <string>

#include "daemon/settings.h"

namespace parcours::daemon {

// Opens the database (waiting up to database.startup_wait_seconds for it),
// migrates, serves until SIGTERM/SIGINT, then drains. Returns the exit code.
// REQUIRES: SIGTERM and SIGINT are blocked in every thread (see main.cpp).
int serve(const Settings& settings);

// Creates an admin user; prints a one-time password when none is given.
int createAdmin(const Settings& settings, const std::string& email, const std::optional<std::string>& password);

// `keys rotate`: adds a key (or resumes an interrupted rotation) and
// re-encrypts every encrypted field; `keys status`: values under old keys.
int rotateKeys(const Settings& settings);
int keyStatus(const Settings& settings);

// Applies pending migrations and prints what it did. Returns the exit code.
int migrateOnly(const Settings& settings);

}  // namespace parcours::daemon
