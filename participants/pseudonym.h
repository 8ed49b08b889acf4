#pragma once
// Pseudonymous participant codes ("P-7K3Q9X"): what calendars, feeds, logs,
// metrics, e-mail subjects and research exports show instead of a name.
// A code is random and carries nothing of the person.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace parcours::participants {

// The 30 symbols of a code: digits and capitals without the look-alikes
// 0/O, 1/I/L, and without U (keeps accidental words rarer). 30^6 ≈ 729 million codes.
inline constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr std::size_t kCodeLength = 6;  // symbols after "P-"

// A new code "P-" + 6 symbols drawn uniformly from kCodeAlphabet.
// `random32` must return independent, uniformly distributed 32-bit values
// from a cryptographic source; draws that would bias the result (the top
// 2^32 mod 30 values) are rejected and drawn again.
// Codes are not unique by construction (birthday bound: ~7 % chance of some
// collision among 10 000 codes): the store enforces uniqueness and the caller
// draws again on a clash.
// Throws core::Error(internal) if the source keeps returning rejected values
// (a broken source, never a real one).
std::string newParticipantCode(const std::function<std::uint32_t()>& random32);

// True for exactly "P-" + 6 symbols of kCodeAlphabet (upper case).
bool isParticipantCode(std::string_view text) noexcept;

}  // namespace parcours::participants
