#pragma once
// One libharu document owned for a scope, and libharu's errors turned into
// core::Error. Internal to the PDF writer (invoices/*.cpp only).
//
// libharu reports an error by calling a handler, then returning an error
// status (or a null handle) from the failing function. Throwing through its
// C frames is not an option, so the handler only records the FIRST error;
// check() and require() throw it as core::Error(internal,
// "PDF: <what>: <description> (0x<code>, detail <n>)") at the next
// checkpoint. libharu never aborts the process.

#include <hpdf.h>

#include <string_view>

namespace parcours::invoices::detail {

class HpdfDocument {
 public:
  // A new empty document on a memory pool (libharu makes thousands of small
  // allocations per document). Throws core::Error(internal) when libharu
  // cannot allocate it.
  HpdfDocument();
  ~HpdfDocument();
  // Not copyable nor movable: libharu keeps the address of the error record.
  HpdfDocument(const HpdfDocument&) = delete;
  HpdfDocument& operator=(const HpdfDocument&) = delete;

  HPDF_Doc get() const { return doc_; }

  // Throws the first recorded libharu error, if any; `what` names the step.
  void check(std::string_view what) const;

  // check(what), then `handle` itself, which must not be null.
  template <typename Handle>
  Handle require(Handle handle, std::string_view what) const {
    check(what);
    if (handle == nullptr) failed(what);
    return handle;
  }

  // Forgets a recorded end-of-stream error: reading the saved document to
  // its end reports one, which is no failure.
  void ignoreEndOfStream();

 private:
  struct Errors {
    HPDF_STATUS code = HPDF_OK;
    HPDF_STATUS detail = 0;
  };
  static void onError(HPDF_STATUS code, HPDF_STATUS detail, void* errors);
  [[noreturn]] static void failed(std::string_view what);

  Errors errors_;  // before doc_: libharu is given its address
  HPDF_Doc doc_;
};

}  // namespace parcours::invoices::detail
