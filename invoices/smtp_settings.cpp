#include "invoices/smtp_settings.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace parcours::invoices {

namespace {
std::string lowerCase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}
}  // namespace

bool isLoopbackHost(const std::string& host) {
  std::string name = lowerCase(host);
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
  if (name == "localhost" || name == "localhost.") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, name.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, name.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

bool sendsInClearOffMachine(const SmtpSettings& settings) {
  return settings.tls == SmtpTls::none && !isLoopbackHost(settings.host);
}

void requireProtectedCredentials(const SmtpSettings& settings) {
  if (settings.username.empty() || !sendsInClearOffMachine(settings)) return;
  throw core::Error(core::ErrorCode::bad_request,
                    "smtp.username is set but the connection to " + settings.host +
                        " is not encrypted: the password and the documents would cross the network in clear; set "
                        "smtp.starttls=true or smtp.implicit_tls=true (or use a relay on this machine)");
}

}  // namespace parcours::invoices
