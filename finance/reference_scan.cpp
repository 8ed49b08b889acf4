#include "finance/reference_scan.h"

#include <algorithm>
#include <cctype>

#include "participants/pseudonym.h"

namespace parcours::finance {

namespace {

bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
}

std::vector<std::string> wordsOf(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    if (isWordChar(c)) {
      word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string withoutDashes(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c != '-') out.push_back(c);
  }
  return out;
}

bool isCodeSymbol(char c) {
  return participants::kCodeAlphabet.find(c) != std::string_view::npos;
}

// "P" + six code symbols at the start of `compact` (dashes removed).
std::optional<std::string> codeAtStart(std::string_view compact) {
  if (compact.size() < 7 || compact[0] != 'P') return std::nullopt;
  if (!std::all_of(compact.begin() + 1, compact.begin() + 7, isCodeSymbol)) return std::nullopt;
  return "P-" + std::string(compact.substr(1, 6));
}

// "R" or "F", four digits of a year, five digits of a sequence.
std::optional<std::string> documentNumberOf(std::string_view compact) {
  if (compact.size() != 10 || (compact[0] != 'R' && compact[0] != 'F')) return std::nullopt;
  if (!std::all_of(compact.begin() + 1, compact.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::string(1, compact[0]) + "-" + std::string(compact.substr(1, 4)) + "-" + std::string(compact.substr(5));
}

template <class T>
void addOnce(std::vector<T>& all, T item) {
  if (std::find(all.begin(), all.end(), item) == all.end()) all.push_back(std::move(item));
}

// "P" + code + digits + one check symbol whose check fails → the code as
// written and the valid references one substitution or one swap of
// neighbours away.
std::optional<UncertainReference> uncertainReference(std::string_view compact) {
  const auto code = codeAtStart(compact);
  if (!code || compact.size() > 7 + 7) return std::nullopt;
  const std::string body(compact.substr(1));  // code, digits, check
  const std::size_t checkAt = body.size() - 1;
  for (std::size_t i = 6; i < checkAt; ++i) {
    if (body[i] < '0' || body[i] > '9') return std::nullopt;
  }
  const auto read = [&](const std::string& variant) {
    return participants::readReference("P" + variant.substr(0, 6) + "-" + variant.substr(6, checkAt - 6) + "-" +
                                       variant.substr(checkAt));
  };
  UncertainReference uncertain{*code, {}};
  const auto keep = [&](const std::string& variant) {
    if (const auto valid = read(variant)) addOnce(uncertain.nearby, *valid);
  };
  for (std::size_t i = 0; i < body.size(); ++i) {
    const std::string_view symbols = i < 6 ? participants::kCodeAlphabet
                                     : i == checkAt ? participants::kCheckAlphabet
                                                    : std::string_view("0123456789");
    for (const char symbol : symbols) {
      if (symbol == body[i]) continue;
      std::string variant = body;
      variant[i] = symbol;
      keep(variant);
    }
    if (i + 1 < body.size() && body[i] != body[i + 1]) {
      std::string variant = body;
      std::swap(variant[i], variant[i + 1]);
      keep(variant);
    }
  }
  return uncertain;
}

}  // namespace

std::vector<std::string> ScannedReferences::allCodes() const {
  std::vector<std::string> codes = participantCodes;
  for (const auto& u : uncertain) {
    addOnce(codes, u.writtenCode);
    for (const auto& r : u.nearby) addOnce(codes, r.participantCode);
  }
  return codes;
}

ScannedReferences scanReferences(std::string_view text) {
  ScannedReferences found;
  const auto words = wordsOf(text);
  // Only words of code symbols, digits, "U" and dashes can be part of a
  // reference or a document number: most words of a description are not.
  std::vector<bool> possible(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    possible[i] = std::all_of(words[i].begin(), words[i].end(), [](char c) {
      return c == '-' || c == 'U' || (c >= '0' && c <= '9') || isCodeSymbol(c);
    });
  }
  for (std::size_t first = 0; first < words.size(); ++first) {
    std::string joined;
    for (std::size_t count = 1; count <= 4 && first + count <= words.size() && possible[first + count - 1];
         ++count) {
      joined += words[first + count - 1];
      const std::string compact = withoutDashes(joined);
      if (const auto reference = participants::readReference(joined)) {
        addOnce(found.installments, *reference);
        addOnce(found.participantCodes, reference->participantCode);
      } else if (compact.size() == 7) {
        if (const auto code = codeAtStart(compact)) addOnce(found.participantCodes, *code);
      } else if (compact.size() > 8 && count <= 3) {
        if (auto uncertain = uncertainReference(compact)) addOnce(found.uncertain, std::move(*uncertain));
      }
      if (const auto number = documentNumberOf(compact)) addOnce(found.documentNumbers, *number);
    }
  }
  return found;
}

}  // namespace parcours::finance
