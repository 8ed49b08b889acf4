#pragma once
// SmtpSettings — where e-mails go and how they are protected on the way.
// E-mails carry PDFs with a participant's name and address, and AUTH sends
// a password: both must not cross a network in clear.

#include <chrono>
#include <string>

namespace parcours::invoices {

enum class SmtpTls {
  none,      // plain SMTP (loopback relays only when a password is sent)
  starttls,  // plain connection upgraded with STARTTLS before anything is sent
  implicit,  // TLS from the first byte (SMTPS, usually port 465)
};

struct SmtpSettings {
  std::string host = "127.0.0.1";
  int port = 25;
  SmtpTls tls = SmtpTls::none;
  std::string caFile;    // extra certificate authority to trust (PEM); empty: the system's only
  std::string username;  // empty: no AUTH
  std::string password;
  std::string from;
  std::chrono::seconds timeout{30};
};

// Whether `host` names this machine: "localhost", an address in
// 127.0.0.0/8, or ::1 (also in brackets). No name is resolved.
bool isLoopbackHost(const std::string& host);

// Throws core::Error(bad_request) when the settings would send the SMTP
// password in clear to another machine (a user name without STARTTLS or
// implicit TLS, to a host that is not loopback).
void requireProtectedCredentials(const SmtpSettings& settings);

// Whether e-mails (and the PDFs they carry) would cross a network in clear:
// no TLS to a host that is not loopback. Allowed, but worth a warning.
bool sendsInClearOffMachine(const SmtpSettings& settings);

}  // namespace parcours::invoices
