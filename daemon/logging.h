#pragma once
// Logging: one line per event on standard error, through an asynchronous
// channel so request threads never wait on the terminal.

#include <string>

namespace parcours::daemon {

// Throws core::Error(bad_request) for an unknown level name.
void setUpLogging(const std::string& level);
// Flushes and stops the asynchronous channel (call before exit).
void shutDownLogging();

}  // namespace parcours::daemon
