#include "daemon/logging.h"

#include <Poco/AsyncChannel.h>
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

#include "core/error.h"

namespace parcours::daemon {

void setUpLogging(const std::string& level) {
  int priority = 0;
  try {
    priority = Poco::Logger::parseLevel(level);
  } catch (const Poco::Exception&) {
    throw core::Error(core::ErrorCode::bad_request, "unknown log.level '" + level + "'", "log.level");
  }
  Poco::AutoPtr<Poco::PatternFormatter> formatter(new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %q %s: %t"));
  formatter->setProperty("times", "UTC");
  Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel);
  Poco::AutoPtr<Poco::FormattingChannel> formatting(new Poco::FormattingChannel(formatter, console));
  Poco::AutoPtr<Poco::AsyncChannel> async(new Poco::AsyncChannel(formatting));
  Poco::Logger::root().setChannel(async);
  Poco::Logger::setLevel("", priority);
}

void shutDownLogging() {
  Poco::Logger::root().getChannel()->close();  // AsyncChannel drains its queue
}

}  // namespace parcours::daemon
