#include "daemon/command_line.h"

#include <set>

#include "core/error.h"

namespace parcours::daemon {

using core::Error;
using core::ErrorCode;

std::string usage() {
  return "usage:\n"
         "  parcoursd [--config FILE] [--listen HOST:PORT] [--database URL] [--set KEY=VALUE]...\n"
         "      run the daemon (defaults: ./parcours.properties if present, 127.0.0.1:8080,\n"
         "      sqlite:var/parcours.db); migrations run at start; SIGTERM stops it gracefully\n"
         "  parcoursd migrate [--config FILE] [--database URL]\n"
         "      apply pending database migrations and exit\n"
         "  parcoursd admin create --email E [--password P] [--database URL]\n"
         "      create an admin; prints a one-time password when none is given\n"
         "      (that one must be changed at first sign-in)\n"
         "  parcoursd demo seed [--database URL]\n"
         "      fill a NEW database with a small fictitious program (names marked démo) and\n"
         "      print the demo users' credentials; refuses a database that holds data\n"
         "  parcoursd keys rotate|status [--database URL]\n"
         "      add an encryption key and re-encrypt personal fields (resumable) | count old values\n"
         "  parcoursd --help | --version\n"
         "Configuration keys and their PARCOURS_* variables: docs/configuration.md\n";
}

CommandLine parseCommandLine(const std::vector<std::string>& args) {
  // Options that set a configuration key directly.
  static const std::map<std::string, std::string> kSettingOptions{{"listen", "listen"}, {"database", "database"}};
  static const std::set<std::string> kOtherOptions{"email", "password"};

  CommandLine result;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      continue;
    }
    if (arg == "--version") {
      result.version = true;
      continue;
    }
    if (!arg.starts_with("--")) {
      result.command.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.erase(eq);
    } else {
      if (i + 1 >= args.size()) throw Error(ErrorCode::bad_request, "option --" + name + " needs a value\n" + usage());
      value = args[++i];
    }
    if (name == "config") {
      result.configFile = value;
    } else if (name == "set") {
      const auto eq = value.find('=');
      if (eq == std::string::npos || eq == 0) throw Error(ErrorCode::bad_request, "--set takes KEY=VALUE");
      result.overrides[value.substr(0, eq)] = value.substr(eq + 1);
    } else if (const auto setting = kSettingOptions.find(name); setting != kSettingOptions.end()) {
      result.overrides[setting->second] = value;
    } else if (kOtherOptions.contains(name)) {
      result.options[name] = value;
    } else {
      throw Error(ErrorCode::bad_request, "unknown option --" + name + "\n" + usage());
    }
  }
  return result;
}

}  // namespace parcours::daemon
