#include "retention/document_redaction.h"

#include "invoices/document_contents.h"

namespace parcours::retention {

namespace {
// The code in place of the name; no address.
void redactParty(invoices::Party& party, const std::string& code) {
  party.code = code;
  party.givenName = code;
  party.familyName.clear();
  party.address.reset();
}
}  // namespace

std::string redactedDocumentContent(invoices::DocumentKind kind, std::string_view json, std::string_view currency,
                                    const std::string& code) {
  using invoices::DocumentKind;
  switch (kind) {
    case DocumentKind::invoice:
    case DocumentKind::credit_note: {
      auto content = invoices::invoiceContentFromJson(json, currency);
      redactParty(content.participant, code);
      if (content.feeChange) content.feeChange->reason.clear();
      return invoices::toJson(content);
    }
    case DocumentKind::receipt: {
      auto content = invoices::receiptContentFromJson(json, currency);
      redactParty(content.participant, code);
      content.reference.reset();
      return invoices::toJson(content);
    }
    case DocumentKind::refund_receipt: {
      auto content = invoices::refundReceiptContentFromJson(json, currency);
      redactParty(content.participant, code);
      content.reason.reset();
      return invoices::toJson(content);
    }
    case DocumentKind::attestation: {
      auto content = invoices::attestationContentFromJson(json);
      redactParty(content.participant, code);
      return invoices::toJson(content);
    }
  }
  return std::string(json);  // unreachable: every kind is handled above
}

}  // namespace parcours::retention
