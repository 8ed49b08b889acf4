#pragma once
// What an issued document keeps once its participant's file is anonymised
// (pure). Numbers, kinds, dates, lines, amounts and taxes stay as issued;
// the person goes: the name becomes the participant code, the address and
// every free text printed on it (a payment's reference, a refund's reason,
// a fee change's reason) are erased.
//
// The content is read and written back through the typed values of
// invoices/document_contents.h, so the result is a document of the same
// kind that the layouts and reports still read.

#include <string>
#include <string_view>

#include "invoices/document_numbers.h"

namespace parcours::retention {

// `json` is a document's stored content, `currency` its own currency and
// `code` the participant code. Throws core::Error(internal) when the content
// cannot be read (as invoices' fromJson does).
std::string redactedDocumentContent(invoices::DocumentKind kind, std::string_view json, std::string_view currency,
                                    const std::string& code);

}  // namespace parcours::retention
