#include "storage/database_url.h"

#include <cctype>
#include <charconv>

namespace parcours::storage {

namespace {

[[noreturn]] void invalid(std::string_view why) {
  throw core::Error(core::ErrorCode::bad_request,
                    "invalid database URL (" + std::string(why) +
                        "); expected sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/DATABASE",
                    "database");
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) invalid("bad percent escape");
    const int hi = hexValue(text[i + 1]);
    const int lo = hexValue(text[i + 2]);
    if (hi < 0 || lo < 0) invalid("bad percent escape");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

DatabaseUrl parseDatabaseUrl(std::string_view url) {
  DatabaseUrl result;
  if (url.starts_with("sqlite:")) {
    result.dialect = Dialect::sqlite;
    result.path = std::string(url.substr(7));
    if (result.path.starts_with("//")) result.path.erase(0, 2);  // sqlite://PATH
    if (result.path.empty()) invalid("empty SQLite path");
    return result;
  }
  if (!url.starts_with("mysql://")) invalid("unknown scheme");
  result.dialect = Dialect::mysql;
  std::string_view rest = url.substr(8);
  const auto at = rest.rfind('@');
  if (at == std::string_view::npos) invalid("missing USER@");
  const std::string_view credentials = rest.substr(0, at);
  rest = rest.substr(at + 1);
  const auto colon = credentials.find(':');
  result.user = percentDecode(credentials.substr(0, colon));
  if (colon != std::string_view::npos) result.password = percentDecode(credentials.substr(colon + 1));
  if (result.user.empty()) invalid("empty user");
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) invalid("missing /DATABASE");
  std::string_view hostPort = rest.substr(0, slash);
  result.database = std::string(rest.substr(slash + 1));
  if (result.database.empty()) invalid("empty database name");
  for (const char c : result.database) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) invalid("database name must be [A-Za-z0-9_]");
  }
  const auto portColon = hostPort.rfind(':');
  if (portColon != std::string_view::npos) {
    const std::string_view port = hostPort.substr(portColon + 1);
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), result.port);
    if (ec != std::errc() || end != port.data() + port.size() || result.port < 1 || result.port > 65535) {
      invalid("bad port");
    }
    hostPort = hostPort.substr(0, portColon);
  }
  result.host = std::string(hostPort);
  if (result.host.empty()) invalid("empty host");
  return result;
}

std::string redact(const DatabaseUrl& url) {
  if (url.dialect == Dialect::sqlite) return "sqlite:" + url.path;
  return "mysql://" + url.user + ":***@" + url.host + ":" + std::to_string(url.port) + "/" + url.database;
}

}  // namespace parcours::storage
