#pragma once
// Settings — the daemon's configuration, layered: built-in defaults, then
// the properties file, then PARCOURS_* environment variables, then
// command-line options. Every key is declared in settings.cpp with its
// default and documented in docs/configuration.md.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parcours::daemon {

struct SettingSpec {
  std::string key;           // "http.max_threads"
  std::string defaultValue;  // as text
  std::string description;
};

// All known keys, in documentation order.
const std::vector<SettingSpec>& settingSpecs();

// "http.max_threads" → "PARCOURS_HTTP_MAX_THREADS".
std::string environmentName(const std::string& key);

class Settings {
 public:
  using Getenv = std::function<std::optional<std::string>(const std::string&)>;

  // Layers the sources. `configFile` empty means ./parcours.properties if it
  // exists. Throws core::Error(bad_request) for an unreadable file or an
  // unknown key (a typo should not pass silently).
  static Settings load(const std::string& configFile, const std::map<std::string, std::string>& overrides,
                       const Getenv& getenv);

  const std::string& text(const std::string& key) const;
  // An integer within [min, max]; core::Error(bad_request) naming the key otherwise.
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max) const;
  // Where a key's value came from: "default", the file name, "environment", "command line".
  const std::string& source(const std::string& key) const;

 private:
  void set(const std::string& key, std::string value, std::string source);

  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> sources_;
};

// Environment lookup through ::getenv.
std::optional<std::string> processEnvironment(const std::string& name);

}  // namespace parcours::daemon
