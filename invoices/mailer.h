#pragma once
// Mailer — hands one e-mail with attachments to an SMTP server (Poco::Net),
// over plain SMTP, STARTTLS or implicit TLS (TLS 1.2+, certificates and host
// name checked), with optional authentication. Used only by the outbox
// sender, after the transaction that asked for the e-mail has committed.

#include <chrono>
#include <string>
#include <vector>

#include <Poco/AutoPtr.h>

#include "invoices/smtp_settings.h"

namespace Poco::Net {
class Context;
}

namespace parcours::invoices {

struct MailAttachment {
  std::string filename;
  std::string mediaType;
  std::string bytes;
};

struct Mail {
  std::string to;
  std::string subject;  // neutral: never a name, the program or the offence
  std::string text;     // UTF-8 plain text
  std::vector<MailAttachment> attachments;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Throws core::Error(unavailable) when the server refuses or cannot be
  // reached; the message names no recipient.
  virtual void send(const Mail& mail) = 0;
};

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpSettings settings);
  void send(const Mail& mail) override;

 private:
  Poco::AutoPtr<Poco::Net::Context> tlsContext() const;
  SmtpSettings settings_;
};

// Replaces anything that looks like an e-mail address in `text` with
// "<address>", so SMTP replies can be kept and shown without personal data.
std::string withoutAddresses(const std::string& text);

}  // namespace parcours::invoices
