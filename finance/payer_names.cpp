#include "finance/payer_names.h"

#include <algorithm>
#include <array>

#include "core/error.h"
#include "identity/keyed_hash.h"

namespace parcours::finance {

namespace {

constexpr std::size_t kWordsKept = 5;

// Words of banking, of e-Transfer messages and of politeness, in French and
// English, as normalizeForMatching folds them.
constexpr std::array<std::string_view, 58> kNotNames = {
    "a",        "au",       "aux",       "auto",     "bank",     "banque",   "by",       "cheque",   "cheques",
    "comptoir", "courriel", "credit",    "de",       "debit",    "deposit",  "depot",    "des",      "direct",
    "du",       "e",        "email",     "en",       "et",       "etransfer", "fee",     "for",      "frais",
    "from",     "funds",    "interac",   "la",       "le",       "les",      "merci",    "message",  "misc",
    "msg",      "no",       "of",        "paiement", "par",      "payment",  "pour",     "recu",     "ref",
    "reference", "sans",    "thanks",    "the",      "to",       "transfer", "transfert", "versement", "virement",
    "received", "guichet",  "inc",       "electronique"};

bool hasDigit(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isNotName(std::string_view word) {
  return word.size() < 2 || hasDigit(word) ||
         std::find(kNotNames.begin(), kNotNames.end(), word) != kNotNames.end();
}

}  // namespace

std::vector<std::string> payerNamePairs(std::string_view description) {
  std::string spaced(description);
  for (auto& c : spaced) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) c = ' ';
  }
  std::string folded;
  try {
    folded = identity::normalizeForMatching(spaced);
  } catch (const core::Error&) {
    return {};
  }
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < folded.size() && words.size() < kWordsKept) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    const std::string word = folded.substr(start, end - start);
    if (!isNotName(word)) words.push_back(word);
    start = end + 1;
  }
  std::vector<std::string> pairs;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    std::string pair = words[i] + " " + words[i + 1];
    if (std::find(pairs.begin(), pairs.end(), pair) == pairs.end()) pairs.push_back(std::move(pair));
  }
  return pairs;
}

}  // namespace parcours::finance
