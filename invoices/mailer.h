#pragma once
// Mailer — hands one e-mail with attachments to an SMTP server (Poco::Net),
// with optional STARTTLS and authentication. Used only by the outbox sender,
// after the transaction that asked for the e-mail has committed.

#include <chrono>
#include <string>
#include <vector>

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

struct SmtpSettings {
  std::string host = "127.0.0.1";
  int port = 25;
  bool startTls = false;
  std::string username;  // empty: no AUTH
  std::string password;
  std::string from;
  std::chrono::seconds timeout{30};
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
  SmtpSettings settings_;
};

// Replaces anything that looks like an e-mail address in `text` with
// "<address>", so SMTP replies can be kept and shown without personal data.
std::string withoutAddresses(const std::string& text);

}  // namespace parcours::invoices
