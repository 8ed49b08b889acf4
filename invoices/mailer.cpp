#include "invoices/mailer.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/Timespan.h>

#include <cctype>
#include <memory>

#include "core/error.h"

namespace parcours::invoices {

SmtpMailer::SmtpMailer(SmtpSettings settings) : settings_(std::move(settings)) {}

// TLS 1.2 or later; the server's certificate must chain to the system's
// authorities (or to smtp.ca_file) and name the host we asked for. STRICT:
// Poco's RELAXED mode skips the host name check for local addresses.
Poco::Net::Context::Ptr SmtpMailer::tlsContext() const {
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", settings_.caFile,
                                                           Poco::Net::Context::VERIFY_STRICT, 9, true);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  return context;
}

void SmtpMailer::send(const Mail& mail) {
  try {
    Poco::Net::MailMessage message;
    message.setSender(settings_.from);
    message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
    message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
    message.addContent(new Poco::Net::StringPartSource(mail.text, "text/plain; charset=UTF-8"),
                       Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    for (const auto& a : mail.attachments) {
      message.addAttachment(a.filename, new Poco::Net::StringPartSource(a.bytes, a.mediaType, a.filename));
    }
    const Poco::Timespan timeout(static_cast<long>(settings_.timeout.count()), 0);
    std::unique_ptr<Poco::Net::SecureSMTPClientSession> session;
    if (settings_.tls == SmtpTls::implicit) {
      Poco::Net::SecureStreamSocket socket(tlsContext());
      socket.setPeerHostName(settings_.host);
      socket.connect(Poco::Net::SocketAddress(settings_.host, static_cast<Poco::UInt16>(settings_.port)), timeout);
      session = std::make_unique<Poco::Net::SecureSMTPClientSession>(socket);
    } else {
      session = std::make_unique<Poco::Net::SecureSMTPClientSession>(settings_.host,
                                                                      static_cast<Poco::UInt16>(settings_.port));
    }
    session->setTimeout(timeout);
    session->login();
    if (settings_.tls == SmtpTls::starttls && !session->startTLS(tlsContext())) {
      throw core::Error(core::ErrorCode::unavailable, "SMTP server does not offer STARTTLS");
    }
    if (!settings_.username.empty()) {
      session->login(Poco::Net::SMTPClientSession::AUTH_PLAIN, settings_.username, settings_.password);
    }
    session->sendMessage(message);
    session->close();
  } catch (const Poco::Exception& e) {
    throw core::Error(core::ErrorCode::unavailable, "SMTP: " + withoutAddresses(e.displayText()));
  } catch (const std::exception& e) {
    throw core::Error(core::ErrorCode::unavailable, "SMTP: " + withoutAddresses(e.what()));
  }
}

std::string withoutAddresses(const std::string& text) {
  // A token (run of non-space characters) containing '@' is an address.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    const std::string token = text.substr(i, end - i);
    out += token.find('@') == std::string::npos ? token : "<address>";
    i = end;
  }
  return out;
}

}  // namespace parcours::invoices
