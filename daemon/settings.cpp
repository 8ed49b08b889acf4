#include "daemon/settings.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include "core/error.h"

namespace parcours::daemon {

using core::Error;
using core::ErrorCode;

const std::vector<SettingSpec>& settingSpecs() {
  static const std::vector<SettingSpec> specs{
      {"listen", "127.0.0.1:8080", "Address and port the HTTP server binds (HOST:PORT; port 0 picks a free one)."},
      {"database", "sqlite:var/parcours.db", "Database URL: sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/DATABASE."},
      {"database.pool_size", "16", "Maximum open database connections (1-512)."},
      {"database.startup_wait_seconds", "30",
       "How long the daemon waits at start for an unreachable database before giving up (0-3600)."},
      {"http.max_threads", "64", "Worker threads: requests served at once; idle connections hold none (2-4096)."},
      {"http.max_queued", "256", "Requests whose head has arrived waiting for a worker; more get 503 (1-65536)."},
      {"http.keep_alive_seconds", "15", "Idle keep-alive connections are closed after this (1-3600)."},
      {"http.request_deadline_seconds", "15",
       "A request's head and body must arrive within this, from its first byte (1-3600); its answer gets as long."},
      {"http.max_connections", "1024",
       "Open connections; at the limit a new one closes the longest-idle keep-alive one, or is refused (16-1000000)."},
      {"http.max_connections_per_address", "64",
       "Open connections per client address; trusted proxies are exempt (1-65536)."},
      {"http.trusted_proxies", "",
       "Reverse proxies (addresses or CIDR blocks, comma-separated) whose X-Forwarded-For / X-Forwarded-Proto are"
       " believed; from anyone else those headers are ignored."},
      {"http.max_body_bytes", "1048576", "Largest request body accepted; larger gets 413 (1024-1073741824)."},
      {"http.web_root", "",
       "The folder of the pages' files (index.html, assets/); empty: the web folder of the source tree built from."},
      {"shutdown.grace_seconds", "20", "On SIGTERM, how long requests in flight may take to finish (0-600)."},
      {"log.level", "information", "Poco log level: fatal, critical, error, warning, notice, information, debug."},
      {"program.time_zone", "America/Toronto", "The program's IANA time zone (document years, default zone)."},
      {"scheduling.late_cancellation_hours", "24",
       "A participant cancelling less than this before the start makes the session late_cancelled (0-720)."},
      {"scheduling.granularity_minutes", "15", "Grid of offered session starts, in minutes (5-60)."},
      {"billing.fee_cents", "50000", "The program fee charged at enrolment, in cents (0-10000000)."},
      {"billing.fee_tax_code", "exempt",
       "Tax code of the fee: exempt, gst_qst (GST 5 % + QST 9.975 %) or out_of_scope."},
      {"billing.max_installments", "6", "Most installments a payment plan may have (1-24)."},
      {"billing.grace_days", "7", "Days after its due date before an unpaid installment is overdue (0-365)."},
      {"finance.bank_profiles_file", "",
       "A JSON file of generic CSV bank profiles (columns, date format, decimal mark, encoding) offered beside"
       " Desjardins and RBC; empty: none (docs/finance.md)."},
      {"idempotency.retention_hours", "48",
       "How long an Idempotency-Key and its answer are kept (24-8760); the same key later is a new request."},
      {"retention.years", "7",
       "Years a closed file (completed, withdrawn, ineligible) is kept before it is anonymised (0-100; 0: at once)."},
      {"retention.run_daily", "true", "true: the daemon runs retention at start and then every 24 hours."},
      {"org.name", "Parcours", "Organisation name printed at the top of every document."},
      {"org.address", "", "Organisation address printed under its name; lines separated by '|'."},
      {"org.gst_number", "", "GST registration number printed on documents (empty: not printed)."},
      {"org.qst_number", "", "QST registration number printed on documents (empty: not printed)."},
      {"org.footer", "", "Text printed at the foot of every page of every document."},
      {"org.logo_png", "", "Path of a PNG logo drawn at the top left of documents (empty: none)."},
      {"documents.page_size", "letter", "Paper size of documents: letter or a4."},
      {"smtp.host", "127.0.0.1", "SMTP server that e-mails documents and reminders."},
      {"smtp.port", "25", "Its port (1-65535)."},
      {"smtp.starttls", "false", "true: upgrade the connection with STARTTLS (certificates checked) before sending."},
      {"smtp.implicit_tls", "false",
       "true: TLS from the first byte (SMTPS, usually port 465), certificates checked; not with smtp.starttls."},
      {"smtp.ca_file", "", "A PEM file of certificate authorities trusted besides the system's (a private CA)."},
      {"smtp.username", "", "SMTP AUTH PLAIN user (empty: no authentication)."},
      {"smtp.password", "", "SMTP AUTH password."},
      {"smtp.from", "parcours@localhost", "Sender address of the e-mails."},
      {"mail.pdf_password", "none",
       "Password-protect e-mailed PDFs: none, birth_date (YYYYMMDD) or code (the participant's code). libharu's RC4."},
      {"mail.poll_seconds", "30", "How often the outbox sender looks for e-mails to retry (1-3600)."},
      {"mail.retry_seconds", "30",
       "Delay before the first retry of a failed e-mail (1-86400); each next one waits 4 times longer, at most 6 h."},
      {"security.key_file", "var/keys/fields.keys",
       "Encryption keys of personal fields (ID:BASE64 lines, mode 0600); created with one key on first start."},
      {"security.lookup_key_file", "var/keys/lookup.key",
       "Secret of the keyed hashes that find people and e-mails (mode 0600); created on first start; never rotate it."},
      {"security.digest_key_file", "var/keys/digest.key",
       "Secret of the keyed digests of stored documents and requests (mode 0600); created on first start."},
      {"security.session_hours", "12", "Lifetime of a sign-in token (1-720)."},
      {"security.token_cache_seconds", "5",
       "How long a daemon remembers a valid token (0-60; 0 = off); a revocation made through another daemon on the"
       " same database takes effect here within this time."},
      {"security.login_max_failures", "5", "Failed sign-ins per account or client address before a lockout (1-100)."},
      {"security.login_lockout_seconds", "900",
       "How long a locked account or address waits, also the counting window (1-86400)."},
      {"testing.clock_offset_file", "",
       "TESTS ONLY, never in production: a file holding a number of seconds added to the system clock, re-read"
       " when it changes (empty: the system clock)."},
  };
  return specs;
}

std::string environmentName(const std::string& key) {
  std::string name = "PARCOURS_";
  for (const char c : key) {
    name.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return name;
}

std::optional<std::string> processEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

namespace {
bool known(const std::string& key) {
  for (const auto& spec : settingSpecs()) {
    if (spec.key == key) return true;
  }
  return false;
}
}  // namespace

void Settings::set(const std::string& key, std::string value, std::string source) {
  if (!known(key)) throw Error(ErrorCode::bad_request, "unknown configuration key '" + key + "' (" + source + ")");
  values_[key] = std::move(value);
  sources_[key] = std::move(source);
}

Settings Settings::load(const std::string& configFile, const std::map<std::string, std::string>& overrides,
                        const Getenv& getenv) {
  Settings settings;
  for (const auto& spec : settingSpecs()) settings.set(spec.key, spec.defaultValue, "default");

  std::string file = configFile;
  if (file.empty() && std::filesystem::exists("parcours.properties")) file = "parcours.properties";
  if (!file.empty()) {
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> properties;
    try {
      properties = new Poco::Util::PropertyFileConfiguration(file);
    } catch (const Poco::Exception& e) {
      throw Error(ErrorCode::bad_request, "cannot read configuration file " + file + ": " + e.displayText());
    }
    std::vector<std::string> pending{""};
    while (!pending.empty()) {  // walk the dotted key tree
      const std::string prefix = pending.back();
      pending.pop_back();
      Poco::Util::AbstractConfiguration::Keys keys;
      properties->keys(prefix, keys);
      for (const auto& k : keys) {
        const std::string full = prefix.empty() ? k : prefix + "." + k;
        if (properties->hasOption(full) && !properties->getRawString(full).empty()) {
          settings.set(full, properties->getString(full), file);
        } else if (properties->hasOption(full) && known(full)) {
          settings.set(full, "", file);
        }
        pending.push_back(full);
      }
    }
  }
  for (const auto& spec : settingSpecs()) {
    if (auto value = getenv(environmentName(spec.key))) settings.set(spec.key, *value, "environment");
  }
  for (const auto& [key, value] : overrides) settings.set(key, value, "command line");
  return settings;
}

const std::string& Settings::text(const std::string& key) const {
  return values_.at(key);
}

const std::string& Settings::source(const std::string& key) const {
  return sources_.at(key);
}

std::int64_t Settings::integer(const std::string& key, std::int64_t min, std::int64_t max) const {
  const std::string& value = text(key);
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < min || n > max) {
    throw Error(ErrorCode::bad_request, "configuration key '" + key + "' must be a whole number from " +
                                            std::to_string(min) + " to " + std::to_string(max) + ", got '" + value +
                                            "' (" + source(key) + ")");
  }
  return n;
}

}  // namespace parcours::daemon
