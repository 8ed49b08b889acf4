#pragma once
// Greedy line breaking for the PDF writer, pure: it knows no font and no
// libharu. The caller says how wide a piece of text is (the writer measures
// with the font in use; the tests with a table of widths), and how the text
// stores its characters (one byte each, or UTF-8), so that a word is never
// cut inside a character.
//
// breakLines(text, maxWidth, width, bytes) gives the lines of `text`:
// - "\n" always starts a new line; each line of the input is broken on its
//   own, and an empty one gives an empty line.
// - Lines break at ASCII spaces (0x20) only. Every other character belongs
//   to its word: a no-break space (U+00A0, byte 0xA0 in Windows-1252, C2 A0
//   in UTF-8) keeps "1 234,56 $" or "14 h" together, a tab or a hyphen does
//   not offer a break either.
// - Runs of spaces count as one, and spaces at either end of a line are
//   dropped. Words are joined by one space.
// - A word goes on the current line when the line's width, plus width(" "),
//   plus the word's width is at most maxWidth (widths are added up, the
//   joined line is not measured again); otherwise it starts the next line.
// - A word wider than maxWidth starts a line of its own and is cut between
//   characters where it overflows (every piece holds at least one
//   character); its last piece is the start of the next line, which may take
//   more words.
// - Shortcut: a line of input with no "\n", no double space and no space at
//   either end, whose whole width is at most maxWidth, is returned as it is
//   (one call to `width`); with widths that add up, breaking it word by word
//   would give the same line.
//
// Always at least one line (the empty text gives one empty line). Lines are
// pieces of `text`, in its bytes: nothing is re-encoded.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace parcours::invoices {

// How the text stores its characters.
enum class TextBytes {
  single_byte,  // one byte per character (Windows-1252)
  utf8,         // 1 to 4 bytes per character; continuation bytes are 10xxxxxx
};

// The width of a piece of text, in any unit consistent with maxWidth.
// REQUIRES: width("") == 0, and a width never negative.
using MeasureWidth = std::function<double(std::string_view)>;

std::vector<std::string> breakLines(std::string_view text, double maxWidth, const MeasureWidth& width, TextBytes bytes);

// The end of the character that starts at byte `i` of `text` (one past its
// last byte). REQUIRES: i < text.size().
std::size_t nextCharacter(std::string_view text, std::size_t i, TextBytes bytes);

}  // namespace parcours::invoices
