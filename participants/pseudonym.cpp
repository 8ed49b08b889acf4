#include "participants/pseudonym.h"

#include <limits>

#include "core/error.h"

namespace parcours::participants {

namespace {

constexpr std::uint64_t kAlphabetSize = kCodeAlphabet.size();
// The largest multiple of 30 not above 2^32: values below it map onto the
// alphabet evenly with `% 30`; the 16 values from it up to 2^32 − 1 are rejected.
constexpr std::uint64_t kAcceptBelow =
    (std::uint64_t{std::numeric_limits<std::uint32_t>::max()} + 1) / kAlphabetSize * kAlphabetSize;
// A real source is rejected with probability 16 / 2^32 per draw; this many
// rejections in a row means the source is broken.
constexpr int kMaxRejectionsInARow = 64;

static_assert(kAlphabetSize == 30);

std::size_t drawSymbol(const std::function<std::uint32_t()>& random32) {
  for (int attempt = 0; attempt <= kMaxRejectionsInARow; ++attempt) {
    const std::uint64_t value = random32();
    if (value < kAcceptBelow) return static_cast<std::size_t>(value % kAlphabetSize);
  }
  throw core::Error(core::ErrorCode::internal, "the random source keeps returning out-of-range values");
}

}  // namespace

std::string newParticipantCode(const std::function<std::uint32_t()>& random32) {
  std::string code = "P-";
  code.reserve(2 + kCodeLength);
  for (std::size_t i = 0; i < kCodeLength; ++i) code.push_back(kCodeAlphabet[drawSymbol(random32)]);
  return code;
}

bool isParticipantCode(std::string_view text) noexcept {
  if (text.size() != 2 + kCodeLength || !text.starts_with("P-")) return false;
  for (const char c : text.substr(2)) {
    if (kCodeAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace parcours::participants
