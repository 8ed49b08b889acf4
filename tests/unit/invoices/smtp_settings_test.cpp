#include "invoices/smtp_settings.h"

#include <catch2/catch.hpp>

#include "core/error.h"

using parcours::invoices::isLoopbackHost;
using parcours::invoices::requireProtectedCredentials;
using parcours::invoices::sendsInClearOffMachine;
using parcours::invoices::SmtpSettings;
using parcours::invoices::SmtpTls;

TEST_CASE("loopback hosts are this machine's names and addresses only", "[smtp]") {
  for (const char* host : {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"}) {
    INFO(host);
    CHECK(isLoopbackHost(host));
  }
  for (const char* host : {"mail.example.org", "128.0.0.1", "10.0.0.1", "localhost.example.org", "::2", "",
                           "127.0.0.1.example.org", "0.0.0.0"}) {
    INFO(host);
    CHECK_FALSE(isLoopbackHost(host));
  }
}

TEST_CASE("a password is never sent in clear to another machine", "[smtp]") {
  SmtpSettings s;
  s.host = "mail.example.org";
  s.username = "facturation";
  CHECK_THROWS_AS(requireProtectedCredentials(s), parcours::core::Error);
  s.tls = SmtpTls::starttls;
  CHECK_NOTHROW(requireProtectedCredentials(s));
  s.tls = SmtpTls::implicit;
  CHECK_NOTHROW(requireProtectedCredentials(s));
  s.tls = SmtpTls::none;
  s.host = "127.0.0.1";
  CHECK_NOTHROW(requireProtectedCredentials(s));
  s.host = "mail.example.org";
  s.username.clear();
  CHECK_NOTHROW(requireProtectedCredentials(s));  // no password to protect
  CHECK(sendsInClearOffMachine(s));               // but the daemon warns
}
