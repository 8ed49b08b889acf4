#include "invoices/hpdf_ttf_patch.h"

// libharu's internal font structures (installed with libhpdf-dev).
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <hpdf_version.h>

#include <vector>

static_assert(HPDF_VERSION_ID == 20300,
              "invoices/hpdf_ttf_patch.cpp reads libharu 2.3.0's internal font structures: check that "
              "this libharu still needs the patch (hpdf_ttf_patch.h says why) and that the structures "
              "it reads are unchanged, then update this check");

namespace parcours::invoices::detail {

namespace {

bool readFontBytes(HPDF_Stream stream, HPDF_UINT position, HPDF_BYTE* buffer, HPDF_UINT size) {
  if (HPDF_Stream_Seek(stream, static_cast<HPDF_INT>(position), HPDF_SEEK_SET) != HPDF_OK) return false;
  HPDF_UINT read = size;
  return HPDF_Stream_Read(stream, buffer, &read) == HPDF_OK && read == size;
}

}  // namespace

// A composite glyph ('glyf' table, numberOfContours == -1) is a list of
// components, each: flags (2 bytes), glyph index (2), arguments (2 or 4),
// then an optional scale (2, 4 or 8), while MORE_COMPONENTS is set.
void includeNestedComponents(HPDF_FontDef fontdef) {
  if (fontdef == nullptr || fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE) return;
  auto* tt = static_cast<HPDF_TTFontDefAttr>(fontdef->attr);
  if (tt == nullptr || !tt->embedding || tt->stream == nullptr || tt->glyph_tbl.flgs == nullptr) return;
  constexpr unsigned kWords = 0x0001, kScale = 0x0008, kMore = 0x0020, kXYScale = 0x0040, kTwoByTwo = 0x0080;
  std::vector<HPDF_UINT16> pending;
  for (HPDF_UINT16 gid = 0; gid < tt->num_glyphs; ++gid) {
    if (tt->glyph_tbl.flgs[gid] != 0) pending.push_back(gid);
  }
  const HPDF_UINT unit = tt->header.index_to_loc_format == 0 ? 2 : 1;
  while (!pending.empty()) {
    const HPDF_UINT16 gid = pending.back();
    pending.pop_back();
    const HPDF_UINT start = tt->glyph_tbl.offsets[gid] * unit;
    const HPDF_UINT end = tt->glyph_tbl.offsets[gid + 1] * unit;
    if (end < start + 10) continue;  // empty glyph
    HPDF_UINT position = tt->glyph_tbl.base_offset + start;
    HPDF_BYTE bytes[4];
    if (!readFontBytes(tt->stream, position, bytes, 2)) return;
    if (bytes[0] != 0xFF || bytes[1] != 0xFF) continue;  // numberOfContours != -1: a simple glyph
    position += 10;                                      // numberOfContours and the bounding box
    for (;;) {
      if (!readFontBytes(tt->stream, position, bytes, 4)) return;
      const unsigned flags = static_cast<unsigned>(bytes[0] << 8 | bytes[1]);
      const auto component = static_cast<HPDF_UINT16>(bytes[2] << 8 | bytes[3]);
      position += 4 + ((flags & kWords) ? 4 : 2);
      position += (flags & kScale) ? 2 : (flags & kXYScale) ? 4 : (flags & kTwoByTwo) ? 8 : 0;
      if (component < tt->num_glyphs && tt->glyph_tbl.flgs[component] == 0) {
        tt->glyph_tbl.flgs[component] = 1;
        pending.push_back(component);
      }
      if ((flags & kMore) == 0) break;
    }
  }
}

}  // namespace parcours::invoices::detail
