#include "invoices/hpdf_handle.h"

#include <cstdio>
#include <string>

#include "core/error.h"

namespace parcours::invoices::detail {

namespace {

using core::Error;
using core::ErrorCode;

constexpr HPDF_UINT kMemoryPoolBlock = 32 * 1024;

std::string describe(HPDF_STATUS code, HPDF_STATUS detail) {
  std::string what;
  switch (code) {
    case HPDF_FAILD_TO_ALLOC_MEM: what = "out of memory"; break;
    case HPDF_FILE_OPEN_ERROR: what = "cannot open file"; break;
    case HPDF_FILE_IO_ERROR: what = "cannot read file"; break;
    case HPDF_INVALID_PNG_IMAGE:
    case HPDF_LIBPNG_ERROR: what = "invalid PNG image"; break;
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: what = "the font does not allow embedding"; break;
    case HPDF_TTF_INVALID_CMAP:
    case HPDF_TTF_INVALID_FOMAT:
    case HPDF_TTF_MISSING_TABLE: what = "invalid TrueType font"; break;
    case HPDF_ENCRYPT_INVALID_PASSWORD: what = "invalid password"; break;
    default: what = "libharu error"; break;
  }
  char codes[48];
  std::snprintf(codes, sizeof codes, " (0x%04X, detail %u)", static_cast<unsigned>(code),
                static_cast<unsigned>(detail));
  return what + codes;
}

}  // namespace

HpdfDocument::HpdfDocument() : doc_(HPDF_NewEx(&onError, nullptr, nullptr, kMemoryPoolBlock, &errors_)) {
  if (doc_ == nullptr) throw Error(ErrorCode::internal, "PDF: cannot create a document (out of memory)");
}

HpdfDocument::~HpdfDocument() {
  HPDF_Free(doc_);
}

// libharu calls this on every error, then returns an error status from the
// failing function: the first error is kept for the next checkpoint.
void HpdfDocument::onError(HPDF_STATUS code, HPDF_STATUS detail, void* errors) {
  auto* record = static_cast<Errors*>(errors);
  if (record->code == HPDF_OK) {
    record->code = code;
    record->detail = detail;
  }
}

void HpdfDocument::check(std::string_view what) const {
  if (errors_.code == HPDF_OK) return;
  throw Error(ErrorCode::internal, "PDF: " + std::string(what) + ": " + describe(errors_.code, errors_.detail));
}

void HpdfDocument::failed(std::string_view what) {
  throw Error(ErrorCode::internal, "PDF: " + std::string(what) + " failed");
}

void HpdfDocument::ignoreEndOfStream() {
  if (errors_.code == HPDF_STREAM_EOF) {
    errors_ = {};
    HPDF_ResetError(doc_);
  }
}

}  // namespace parcours::invoices::detail
