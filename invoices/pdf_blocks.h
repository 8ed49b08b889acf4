#pragma once
// The drawing of a PdfDocument on its pages: the letterhead, title block and
// recipient on the first page, then each block in order (headings, facts,
// tables that wrap and paginate with their header repeated, totals,
// paragraphs, signatures), and at the foot of every page the footer and
// "Page N / M". Pagination itself is page_layout.h's. Internal to the PDF
// writer.

#include <hpdf.h>

#include "invoices/hpdf_handle.h"
#include "invoices/pdf_text_encoding.h"
#include "invoices/pdf_writer.h"

namespace parcours::invoices::detail {

// The document's two fonts, both in the encoding of its TextEncoder.
struct Fonts {
  HPDF_Font regular = nullptr;
  HPDF_Font bold = nullptr;
};

// Adds the document's pages to `pdf` and draws everything on them. Throws
// core::Error(internal) when a page or the logo cannot be made; other
// libharu errors stay recorded in `pdf` for its next check().
void drawDocument(HpdfDocument& pdf, const Fonts& fonts, const TextEncoder& encode, const PdfDocument& document);

}  // namespace parcours::invoices::detail
