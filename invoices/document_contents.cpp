#include "invoices/document_contents.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/error.h"

namespace parcours::invoices {

using core::Error;
using core::ErrorCode;
using core::jsonQuote;
using core::Money;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Party::name() const {
  return givenName.empty() || familyName.empty() ? givenName + familyName : givenName + " " + familyName;
}

namespace {

// -- writing: the key order and spelling of every document stored so far

std::string num(std::int64_t n) {
  return std::to_string(n);
}

std::string quotedOrNull(const std::optional<std::string>& text) {
  return text ? jsonQuote(*text) : std::string("null");
}

std::string partyJson(const Party& p) {
  return "{\"code\":" + jsonQuote(p.code) + ",\"given_name\":" + jsonQuote(p.givenName) +
         ",\"family_name\":" + jsonQuote(p.familyName) + ",\"address\":" + quotedOrNull(p.address) +
         ",\"language\":" + jsonQuote(p.language) + "}";
}

std::string lineJson(const InvoiceLine& line) {
  return "{\"description\":" + jsonQuote(line.description) + ",\"amount_cents\":" + num(line.amount.cents()) +
         ",\"tax_code\":" + jsonQuote(line.taxCode) + ",\"gst_cents\":" + num(line.gst.cents()) +
         ",\"qst_cents\":" + num(line.qst.cents()) + "}";
}

std::string currencyJson(const Money& amount) {
  return jsonQuote(std::string(amount.currency()));
}

// -- reading

[[noreturn]] void unreadable(const std::string& key) {
  throw Error(ErrorCode::internal, "missing or malformed \"" + key + "\"");
}

std::string text(const Object::Ptr& object, const std::string& key) {
  if (!object->has(key) || object->isNull(key) || !object->get(key).isString()) unreadable(key);
  return object->getValue<std::string>(key);
}

std::optional<std::string> optionalText(const Object::Ptr& object, const std::string& key) {
  if (!object->has(key) || object->isNull(key)) return std::nullopt;
  return text(object, key);
}

std::int64_t integer(const Object::Ptr& object, const std::string& key) {
  if (!object->has(key) || object->isNull(key) || !object->get(key).isInteger()) unreadable(key);
  return object->getValue<Poco::Int64>(key);
}

std::optional<std::int64_t> optionalInteger(const Object::Ptr& object, const std::string& key) {
  if (!object->has(key) || object->isNull(key)) return std::nullopt;
  return integer(object, key);
}

Object::Ptr child(const Object::Ptr& object, const std::string& key) {
  Object::Ptr value = object->has(key) ? object->getObject(key) : nullptr;
  if (!value) unreadable(key);
  return value;
}

core::LocalDate day(const Object::Ptr& object, const std::string& key) {
  return core::parseDate(text(object, key));
}

// Poco's own errors (not JSON, not an object) become core::Error(internal).
Object::Ptr parseObject(std::string_view json) {
  try {
    Poco::JSON::Parser parser;
    Object::Ptr object = parser.parse(std::string(json)).extract<Object::Ptr>();
    if (!object) unreadable("content");
    return object;
  } catch (const Poco::Exception& e) {
    throw Error(ErrorCode::internal, e.displayText());
  }
}

// Reads with Poco's accessors may still throw its exceptions (a bad cast).
template <class F>
auto reading(F&& read) {
  try {
    return read();
  } catch (const Poco::Exception& e) {
    throw Error(ErrorCode::internal, e.displayText());
  }
}

Party partyOf(const Object::Ptr& content) {
  const Object::Ptr participant = child(content, "participant");
  Party party;
  party.code = text(participant, "code");
  party.givenName = optionalText(participant, "given_name").value_or("");
  party.familyName = optionalText(participant, "family_name").value_or("");
  party.address = optionalText(participant, "address");
  party.language = optionalText(participant, "language").value_or("");
  return party;
}

std::string currencyOf(const Object::Ptr& content, std::string_view fallback) {
  return optionalText(content, "currency").value_or(std::string(fallback));
}

}  // namespace

std::string toJson(const InvoiceContent& c) {
  std::string lines;
  for (const auto& line : c.lines) lines += (lines.empty() ? "" : ",") + lineJson(line);
  std::string json = "{\"participant\":" + partyJson(c.participant) + ",\"lines\":[" + lines +
                     "],\"subtotal_cents\":" + num(c.subtotal.cents()) + ",\"gst_cents\":" + num(c.gst.cents()) +
                     ",\"qst_cents\":" + num(c.qst.cents()) + ",\"total_cents\":" + num(c.total.cents()) +
                     ",\"currency\":" + currencyJson(c.total);
  if (c.feeChange) {
    json += ",\"previous_fee_cents\":" + num(c.feeChange->previousFee.cents()) +
            ",\"new_fee_cents\":" + num(c.feeChange->newFee.cents()) + ",\"reason\":" + jsonQuote(c.feeChange->reason);
  }
  if (c.paymentReference) json += ",\"payment_reference\":" + jsonQuote(*c.paymentReference);
  return json + "}";
}

std::string toJson(const ReceiptContent& c) {
  return "{\"participant\":" + partyJson(c.participant) + ",\"amount_cents\":" + num(c.amount.cents()) +
         ",\"currency\":" + currencyJson(c.amount) + ",\"method\":" + jsonQuote(c.method) +
         ",\"received_on\":" + jsonQuote(core::formatDate(c.receivedOn)) +
         ",\"reference\":" + quotedOrNull(c.reference) + "}";
}

std::string toJson(const RefundReceiptContent& c) {
  std::string json = "{\"participant\":" + partyJson(c.participant) + ",\"amount_cents\":" + num(c.amount.cents()) +
                     ",\"currency\":" + currencyJson(c.amount) +
                     ",\"payment_receipt_number\":" + jsonQuote(c.paymentReceiptNumber);
  if (c.reason) json += ",\"reason\":" + jsonQuote(*c.reason);
  return json + "}";
}

std::string toJson(const AttestationContent& c) {
  return "{\"participant\":" + partyJson(c.participant) +
         ",\"referred_on\":" + jsonQuote(core::formatDate(c.referredOn)) +
         ",\"completed_on\":" + jsonQuote(core::formatDate(c.completedOn)) +
         ",\"sessions_attended\":" + std::to_string(c.sessionsAttended) + ",\"awareness_day_on\":" +
         (c.awarenessDayOn ? jsonQuote(core::formatDate(*c.awarenessDayOn)) : std::string("null")) + "}";
}

InvoiceContent invoiceContentFromJson(std::string_view json, std::string_view fallbackCurrency) {
  const Object::Ptr content = parseObject(json);
  return reading([&] {
    const std::string currency = currencyOf(content, fallbackCurrency);
    const auto money = [&](std::int64_t cents) { return Money(cents, currency); };
    const Array::Ptr lines = content->getArray("lines");
    if (!lines) unreadable("lines");
    std::vector<InvoiceLine> parsed;
    for (std::size_t i = 0; i < lines->size(); ++i) {
      const Object::Ptr line = lines->getObject(static_cast<unsigned>(i));
      if (!line) unreadable("lines");
      parsed.push_back({text(line, "description"), money(integer(line, "amount_cents")), text(line, "tax_code"),
                        money(optionalInteger(line, "gst_cents").value_or(0)),
                        money(optionalInteger(line, "qst_cents").value_or(0))});
    }
    const Party party = partyOf(content);
    std::optional<FeeChange> change;
    if (const auto previous = optionalInteger(content, "previous_fee_cents")) {
      change = FeeChange{money(*previous), money(integer(content, "new_fee_cents")),
                         optionalText(content, "reason").value_or("")};
    }
    return InvoiceContent{party,
                          std::move(parsed),
                          money(integer(content, "subtotal_cents")),
                          money(integer(content, "gst_cents")),
                          money(integer(content, "qst_cents")),
                          money(integer(content, "total_cents")),
                          std::move(change),
                          optionalText(content, "payment_reference")};
  });
}

ReceiptContent receiptContentFromJson(std::string_view json, std::string_view fallbackCurrency) {
  const Object::Ptr content = parseObject(json);
  return reading([&] {
    const Party party = partyOf(content);
    return ReceiptContent{party, Money(integer(content, "amount_cents"), currencyOf(content, fallbackCurrency)),
                          text(content, "method"), day(content, "received_on"), optionalText(content, "reference")};
  });
}

RefundReceiptContent refundReceiptContentFromJson(std::string_view json, std::string_view fallbackCurrency) {
  const Object::Ptr content = parseObject(json);
  return reading([&] {
    const Party party = partyOf(content);
    return RefundReceiptContent{party, Money(integer(content, "amount_cents"), currencyOf(content, fallbackCurrency)),
                                text(content, "payment_receipt_number"), optionalText(content, "reason")};
  });
}

AttestationContent attestationContentFromJson(std::string_view json) {
  const Object::Ptr content = parseObject(json);
  return reading([&] {
    AttestationContent a{partyOf(content), day(content, "referred_on"), day(content, "completed_on"),
                         static_cast<int>(integer(content, "sessions_attended")), std::nullopt};
    if (optionalText(content, "awareness_day_on")) a.awarenessDayOn = day(content, "awareness_day_on");
    return a;
  });
}

std::optional<std::string> issuedLanguage(std::string_view json) noexcept {
  try {
    Poco::JSON::Parser parser;
    const auto content = parser.parse(std::string(json)).extract<Object::Ptr>();
    const auto participant = content ? content->getObject("participant") : nullptr;
    if (participant && participant->has("language")) return participant->getValue<std::string>("language");
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace parcours::invoices
