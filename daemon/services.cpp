#include "daemon/services.h"

#include "identity/secret_file.h"

namespace parcours::daemon {

Services::Services(const Settings& settings, storage::Database& database)
    : cipher_(settings.text("security.key_file")),
      lookup_(identity::loadOrCreateSecret(settings.text("security.lookup_key_file"))),
      identity_(database, cipher_, lookup_, clock_,
                {std::chrono::hours(settings.integer("security.session_hours", 1, 720))}),
      throttle_(clock_,
                {.maxFailures = static_cast<int>(settings.integer("security.login_max_failures", 1, 100)),
                 .window = std::chrono::seconds(settings.integer("security.login_lockout_seconds", 1, 86400)),
                 .lockout = std::chrono::seconds(settings.integer("security.login_lockout_seconds", 1, 86400))}),
      participants_(database, cipher_, lookup_, clock_, core::findZone(settings.text("program.time_zone"))),
      practitioners_(database, clock_, settings.text("program.time_zone")),
      app_{database,
           identity_,
           throttle_,
           participants_,
           practitioners_,
           api::AccessResolver{[this](std::string_view secret) { return identity_.authenticate(secret); },
                               // Practitioners treat participants through therapy plans,
                               // which land with scheduling: until then, no one.
                               [](std::int64_t, std::int64_t) { return false; }}} {}

}  // namespace parcours::daemon
