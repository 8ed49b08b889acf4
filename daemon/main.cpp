// parcoursd — entry point: parse the command line, load settings, run the
// command. Every failure ends with a one-line message and a non-zero exit
// code, never a stack trace.

#include <sys/stat.h>

#include <csignal>
#include <iostream>

#include <Poco/Exception.h>

#include "core/error.h"
#include "daemon/command_line.h"
#include "daemon/daemon.h"
#include "daemon/demo_seed.h"
#include "daemon/logging.h"
#include "daemon/settings.h"

namespace {
constexpr const char* kVersion = "0.1.0";

int run(const std::vector<std::string>& args) {
  using namespace parcours::daemon;
  const CommandLine commandLine = parseCommandLine(args);
  if (commandLine.help) {
    std::cout << usage();
    return 0;
  }
  if (commandLine.version) {
    std::cout << "parcoursd " << kVersion << '\n';
    return 0;
  }
  const Settings settings = Settings::load(commandLine.configFile, commandLine.overrides, processEnvironment);
  setUpLogging(settings.text("log.level"));
  int code = 2;
  if (commandLine.command.empty() || commandLine.command == std::vector<std::string>{"serve"}) {
    code = serve(settings);
  } else if (commandLine.command == std::vector<std::string>{"migrate"}) {
    code = migrateOnly(settings);
  } else if (commandLine.command == std::vector<std::string>{"keys", "rotate"}) {
    code = rotateKeys(settings);
  } else if (commandLine.command == std::vector<std::string>{"keys", "status"}) {
    code = keyStatus(settings);
  } else if (commandLine.command == std::vector<std::string>{"demo", "seed"}) {
    code = seedDemo(settings);
  } else if (commandLine.command == std::vector<std::string>{"admin", "create"}) {
    const auto email = commandLine.options.find("email");
    if (email == commandLine.options.end()) {
      std::cerr << "parcoursd: admin create needs --email E\n" << usage();
    } else {
      const auto password = commandLine.options.find("password");
      code = createAdmin(settings, email->second,
                         password == commandLine.options.end() ? std::nullopt : std::optional(password->second));
    }
  } else {
    std::cerr << "parcoursd: unknown command '" << commandLine.command.front() << "'\n" << usage();
  }
  shutDownLogging();
  return code;
}
}  // namespace

int main(int argc, char** argv) {
  // Block the termination signals before any thread starts, so that every
  // thread inherits the mask and only serve()'s sigwait receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  // Everything the daemon creates (database, keys, folders, backups) is for
  // its own user only.
  ::umask(077);

  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const parcours::core::Error& e) {
    std::cerr << "parcoursd: " << e.what() << '\n';
  } catch (const Poco::Exception& e) {
    std::cerr << "parcoursd: " << e.displayText() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "parcoursd: " << e.what() << '\n';
  }
  return 1;
}
