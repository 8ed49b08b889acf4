#include "participants/payment_reference.h"

#include <cctype>
#include <vector>

#include "core/error.h"
#include "participants/pseudonym.h"

namespace parcours::participants {

namespace {

constexpr int kModulus = 31;
constexpr std::size_t kMaxSeqDigits = 6;
static_assert(kCheckAlphabet.size() == kModulus);
static_assert(kCheckAlphabet.substr(0, 30) == kCodeAlphabet);

int codeValue(char c) { return static_cast<int>(kCodeAlphabet.find(c)); }

int digitValue(char d) {
  if (d == '0') return 30;
  if (d == '1') return 29;
  return codeValue(d);
}

// The check value for a body of code symbols followed by installment digits.
int checkValueOf(std::string_view code, std::string_view seqDigits) {
  int sum = 0;
  int position = 0;
  const auto add = [&](int value) { sum = (sum + value * (position++ % 2 == 0 ? 1 : 2)) % kModulus; };
  for (const char c : code) add(codeValue(c));
  for (const char d : seqDigits) add(digitValue(d));
  const int weight = position % 2 == 0 ? 1 : 2;
  // c·weight ≡ −sum (mod 31); the inverse of 2 mod 31 is 16.
  const int minus = (kModulus - sum) % kModulus;
  return weight == 1 ? minus : minus * 16 % kModulus;
}

bool isCode(std::string_view code) {
  if (code.size() != kCodeLength) return false;
  for (const char c : code) {
    if (kCodeAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool isSeq(std::string_view digits) {
  if (digits.empty() || digits.size() > kMaxSeqDigits || digits.front() == '0') return false;
  for (const char d : digits) {
    if (d < '0' || d > '9') return false;
  }
  return true;
}

std::optional<ReadReference> readParts(std::string_view code, std::string_view seq, std::string_view check) {
  if (!isCode(code) || !isSeq(seq) || check.size() != 1) return std::nullopt;
  if (kCheckAlphabet.find(check.front()) != static_cast<std::size_t>(checkValueOf(code, seq))) return std::nullopt;
  return ReadReference{"P-" + std::string(code), std::stoi(std::string(seq))};
}

// The text upper-cased, spaces dropped, split at dashes (empty groups dropped).
std::vector<std::string> groupsOf(std::string_view text) {
  std::vector<std::string> groups(1);
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isspace(c)) continue;
    if (raw == '-') {
      if (!groups.back().empty()) groups.emplace_back();
      continue;
    }
    groups.back().push_back(static_cast<char>(std::toupper(c)));
  }
  if (groups.back().empty()) groups.pop_back();
  return groups;
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "…-2-M": the dashes say where the number and the check are.
std::optional<ReadReference> readStructured(const std::vector<std::string>& groups) {
  std::string head;
  for (std::size_t i = 0; i + 2 < groups.size(); ++i) head += groups[i];
  if (head.size() == kCodeLength + 1 && head.front() == 'P') head.erase(0, 1);
  return readParts(head, groups[groups.size() - 2], groups.back());
}

// "P7K3Q9X2M": the code is six symbols, the check the last one; with or without "P".
std::optional<ReadReference> readCompact(std::string_view s) {
  const auto split = [](std::string_view body) -> std::optional<ReadReference> {
    if (body.size() < kCodeLength + 2) return std::nullopt;
    return readParts(body.substr(0, kCodeLength),
                     body.substr(kCodeLength, body.size() - kCodeLength - 1),
                     body.substr(body.size() - 1));
  };
  const auto bare = split(s);
  const auto prefixed = s.starts_with('P') ? split(s.substr(1)) : std::nullopt;
  if (bare && prefixed && !(*bare == *prefixed)) return std::nullopt;
  return prefixed ? prefixed : bare;
}

}  // namespace

std::string makeReference(std::string_view participantCode, int installmentSeq) {
  if (!isParticipantCode(participantCode) || installmentSeq < 1 || installmentSeq > 999999) {
    throw core::Error(core::ErrorCode::internal, "a payment reference needs a participant code and a seq from 1 to 999999");
  }
  const std::string_view code = participantCode.substr(2);
  const std::string seq = std::to_string(installmentSeq);
  return "P" + std::string(code) + "-" + seq + "-" + kCheckAlphabet[checkValueOf(code, seq)];
}

std::optional<ReadReference> readReference(std::string_view text) {
  const auto groups = groupsOf(text);
  if (groups.empty()) return std::nullopt;
  const bool structured =
      groups.size() >= 3 && groups.back().size() == 1 && allDigits(groups[groups.size() - 2]);
  if (structured) return readStructured(groups);
  std::string compact;
  for (const auto& g : groups) compact += g;
  return readCompact(compact);
}

}  // namespace parcours::participants
