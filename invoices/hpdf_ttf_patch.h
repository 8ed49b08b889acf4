#pragma once
// A patch over libharu's TrueType subsetting, written against libharu 2.3.0
// (Debian 12's libhpdf-dev, 2.3.0+dfsg-1). Revisit it when libharu is
// upgraded: the .cpp refuses to compile against another version.
//
// Why: libharu 2.3.0 embeds a subset of a TrueType font — the glyphs it
// measured or showed, plus the components of those that are composite, but
// only one level deep. DejaVu Sans builds "ễ" from "e" and a composite
// circumflex-and-tilde, so without this pass "Nguyễn" prints as "Nguyen"
// (docs/decisions.md, "Documents": libharu 2.3.0 and composed Vietnamese
// letters).
//
// How: through libharu's internal headers (hpdf_fontdef.h, hpdf_streams.h,
// shipped with libhpdf-dev), it reads the glyph table from the font file
// and marks every component of every glyph in use, recursively, in the
// font definition's glyph flags, which libharu reads when it writes the
// subset. Internal to the PDF writer.

#include <hpdf.h>

namespace parcours::invoices::detail {

// Marks the nested components of the glyphs in use in `fontdef`.
// REQUIRES: every page is drawn (all the text measured or shown) and the
// document is not saved yet. Does nothing for a null `fontdef` or one that is
// not an embedded TrueType font; stops quietly if the font file cannot be
// read (the subset is then libharu's own).
void includeNestedComponents(HPDF_FontDef fontdef);

}  // namespace parcours::invoices::detail
