#pragma once
// The command line of docs/api.md:
//   parcoursd [--config FILE] [--listen HOST:PORT] [--database URL] [--set KEY=VALUE]...
//   parcoursd migrate [--config FILE] [--database URL]
//   parcoursd --help | --version
// Options take their value as the next argument or after '='.

#include <map>
#include <string>
#include <vector>

namespace parcours::daemon {

struct CommandLine {
  std::vector<std::string> command;  // e.g. {} (serve), {"migrate"}, {"admin", "create"}
  std::string configFile;
  std::map<std::string, std::string> overrides;  // setting key → value
  std::map<std::string, std::string> options;    // other options (e.g. "email")
  bool help = false;
  bool version = false;
};

// Throws core::Error(bad_request) with a usage hint for anything unknown.
CommandLine parseCommandLine(const std::vector<std::string>& args);

std::string usage();

}  // namespace parcours::daemon
