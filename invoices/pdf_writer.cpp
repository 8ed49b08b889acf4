#include "invoices/pdf_writer.h"

#include <hpdf.h>

#include <random>

#include "core/error.h"
#include "invoices/hpdf_handle.h"
#include "invoices/hpdf_ttf_patch.h"
#include "invoices/pdf_blocks.h"
#include "invoices/pdf_text_encoding.h"

// The rendering, step by step: the encoding and fonts the document needs
// (pdf_text_encoding.h), its pages drawn (pdf_blocks.h, over page_layout.h),
// the embedded fonts' subsets completed (hpdf_ttf_patch.h), the document
// information, the optional encryption, and the bytes saved to memory.
// libharu's document and errors: hpdf_handle.h.

namespace parcours::invoices {

namespace {

using core::Error;
using core::ErrorCode;
using detail::Fonts;
using detail::HpdfDocument;
using detail::TextEncoder;
using detail::TextEncoding;

constexpr const char* kDejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kDejaVuSansBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

struct LoadedFonts {
  Fonts fonts;
  std::vector<std::string> embedded;  // names of the embedded TrueType fonts (DejaVu only)
};

// Helvetica in WinAnsiEncoding (built in, nothing embedded), or DejaVu Sans
// embedded with libharu's UTF-8 encoder.
LoadedFonts loadFonts(HpdfDocument& pdf, TextEncoding encoding) {
  LoadedFonts loaded;
  Fonts& fonts = loaded.fonts;
  if (encoding == TextEncoding::windows1252) {
    fonts.regular = pdf.require(HPDF_GetFont(pdf.get(), "Helvetica", "WinAnsiEncoding"), "Helvetica");
    fonts.bold = pdf.require(HPDF_GetFont(pdf.get(), "Helvetica-Bold", "WinAnsiEncoding"), "Helvetica-Bold");
    return loaded;
  }
  HPDF_UseUTFEncodings(pdf.get());
  HPDF_SetCurrentEncoder(pdf.get(), "UTF-8");
  pdf.check("UTF-8 encoder");
  const char* regular = pdf.require(HPDF_LoadTTFontFromFile(pdf.get(), kDejaVuSans, HPDF_TRUE), kDejaVuSans);
  const char* bold = pdf.require(HPDF_LoadTTFontFromFile(pdf.get(), kDejaVuSansBold, HPDF_TRUE), kDejaVuSansBold);
  loaded.embedded = {regular, bold};
  fonts.regular = pdf.require(HPDF_GetFont(pdf.get(), regular, "UTF-8"), "DejaVu Sans");
  fonts.bold = pdf.require(HPDF_GetFont(pdf.get(), bold, "UTF-8"), "DejaVu Sans Bold");
  return loaded;
}

HPDF_Date pdfDate(core::Instant instant) {
  const auto day = date::floor<date::days>(instant);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> time{instant - day};
  HPDF_Date d{};
  d.year = static_cast<int>(ymd.year());
  d.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  d.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  d.hour = static_cast<int>(time.hours().count());
  d.minutes = static_cast<int>(time.minutes().count());
  d.seconds = static_cast<int>(time.seconds().count());
  d.ind = 'Z';
  return d;
}

// Info strings: with the built-in fonts libharu writes the bytes as they are
// (PDFDocEncoding, which agrees with Windows-1252 on Latin-1); with the UTF-8
// encoder current it writes them as UTF-16. Text that would not survive
// is left out of the metadata.
void setInfo(HpdfDocument& pdf, const TextEncoder& encode, HPDF_InfoType type, std::string_view text) {
  if (encode.encoding() == TextEncoding::utf8) {
    HPDF_SetInfoAttr(pdf.get(), type, encode(text).c_str());
    return;
  }
  if (const auto bytes = detail::latin1(text)) HPDF_SetInfoAttr(pdf.get(), type, bytes->c_str());
}

void setInformation(HpdfDocument& pdf, const TextEncoder& encode, const PdfDocument& document) {
  const HPDF_Date when = pdfDate(document.issuedAt);
  HPDF_SetInfoDateAttr(pdf.get(), HPDF_INFO_CREATION_DATE, when);
  HPDF_SetInfoDateAttr(pdf.get(), HPDF_INFO_MOD_DATE, when);
  HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_CREATOR, "Parcours");
  setInfo(pdf, encode, HPDF_INFO_TITLE,
          document.number.empty() ? document.title : document.title + " " + document.number);
  setInfo(pdf, encode, HPDF_INFO_AUTHOR, document.letterhead.organisation);
  pdf.check("document information");
}

std::string randomOwnerPassword() {
  std::random_device device;
  std::string password;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) password += kHex[device() % 16];
  return password;
}

void encrypt(HpdfDocument& pdf, const PdfProtection& protection) {
  const std::string owner = protection.ownerPassword.empty() ? randomOwnerPassword() : protection.ownerPassword;
  HPDF_SetPassword(pdf.get(), owner.c_str(), protection.userPassword.c_str());
  HPDF_SetEncryptionMode(pdf.get(), HPDF_ENCRYPT_R3, 16);
  pdf.check("encryption");
}

std::string savedBytes(HpdfDocument& pdf) {
  HPDF_SaveToStream(pdf.get());
  pdf.check("save");
  HPDF_UINT32 size = HPDF_GetStreamSize(pdf.get());
  std::string bytes(size, '\0');
  HPDF_ReadFromStream(pdf.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  pdf.ignoreEndOfStream();
  pdf.check("read the saved document");
  bytes.resize(size);
  return bytes;
}

std::string render(const PdfDocument& document, const PdfProtection* protection) {
  const TextEncoding encoding = detail::encodingFor(document);
  HpdfDocument pdf;
  // Compression is chosen before anything is added (libharu decides per
  // stream). The embedded font and a logo's pixels shrink a lot; the few
  // kilobytes of text of a Helvetica document are left as they are, which
  // saves zlib's setup on every page.
  if (encoding == TextEncoding::utf8) {
    HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_ALL);
  } else if (document.letterhead.logoPngPath) {
    HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_IMAGE);
  }
  const LoadedFonts fonts = loadFonts(pdf, encoding);
  const TextEncoder encode(encoding);

  detail::drawDocument(pdf, fonts.fonts, encode, document);
  pdf.check("layout");

  for (const auto& name : fonts.embedded) detail::includeNestedComponents(HPDF_GetFontDef(pdf.get(), name.c_str()));
  setInformation(pdf, encode, document);
  if (protection != nullptr) encrypt(pdf, *protection);
  return savedBytes(pdf);
}

void requirePassword(const std::string& password, const char* field) {
  if (password.empty() || password.size() > 32) {
    throw Error(ErrorCode::unprocessable, "a PDF password has 1 to 32 bytes", field);
  }
  if (password.find('\0') != std::string::npos) throw Error(ErrorCode::unprocessable, "must not contain NUL", field);
}

}  // namespace

std::string renderPdf(const PdfDocument& document) {
  return render(document, nullptr);
}

std::string renderPdf(const PdfDocument& document, const PdfProtection& protection) {
  requirePassword(protection.userPassword, "user_password");
  if (!protection.ownerPassword.empty()) {
    requirePassword(protection.ownerPassword, "owner_password");
    if (protection.ownerPassword == protection.userPassword) {
      throw Error(ErrorCode::unprocessable, "must differ from the user password", "owner_password");
    }
  }
  return render(document, &protection);
}

}  // namespace parcours::invoices
