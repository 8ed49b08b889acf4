#pragma once
// Test helpers: write PDF bytes to a temporary file and run poppler-utils
// and qpdf on it.

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "invoices/pdf_writer.h"

namespace pdftest {

// The stationery the renderer tests print on.
inline parcours::invoices::Letterhead letterhead(
    std::string footer = "Programme confidentiel — questions : finances@parcours.example") {
  parcours::invoices::Letterhead head;
  head.organisation = "Parcours Longueuil";
  head.addressLines = {"1234, boul. Taschereau", "Longueuil (Québec)  J4K 2X1"};
  head.gstNumber = "123456789 RT0001";
  head.qstNumber = "1234567890 TQ0001";
  head.footer = std::move(footer);
  return head;
}

struct Output {
  int status = -1;
  std::string text;
};

// Runs a shell command; stdout captured, stderr discarded.
inline Output run(const std::string& command) {
  Output output;
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.text.append(buffer, n);
  const int status = ::pclose(pipe);
  output.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

// A PDF written to a temporary file, removed at scope exit.
class PdfFile {
 public:
  explicit PdfFile(const std::string& bytes) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("parcours-pdf-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".pdf"))
                .string();
    std::ofstream(path_, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  ~PdfFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  PdfFile(const PdfFile&) = delete;
  PdfFile& operator=(const PdfFile&) = delete;

  const std::string& path() const { return path_; }

  bool qpdfCheck(const std::string& password = {}) const {
    return run("qpdf " + (password.empty() ? std::string() : "--password=" + password + " ") + "--check '" + path_ +
               "'")
               .status == 0;
  }
  // pdftotext -layout, with U+00A0 turned into plain spaces (the built-in
  // fonts give a plain space back for it, DejaVu a no-break space).
  Output text(const std::string& options = {}) const {
    Output output = run("pdftotext -layout " + options + " '" + path_ + "' -");
    output.text = withPlainSpaces(output.text);
    return output;
  }
  int pages() const {
    const std::string info = run("pdfinfo '" + path_ + "'").text;
    const auto at = info.find("Pages:");
    return at == std::string::npos ? -1 : std::stoi(info.substr(at + 6));
  }
  std::string info() const { return run("pdfinfo '" + path_ + "'").text; }

  static std::string withPlainSpaces(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
        out += ' ';
        ++i;
      } else {
        out += text[i];
      }
    }
    return out;
  }

 private:
  std::string path_;
};

// Pages of pdftotext output (split on form feeds), without the empty tail.
inline std::vector<std::string> pagesOf(const std::string& text) {
  std::vector<std::string> pages;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find('\f', start)) != std::string::npos; start = at + 1) {
    pages.push_back(text.substr(start, at - start));
  }
  if (start < text.size() && text.find_first_not_of(" \n", start) != std::string::npos) {
    pages.push_back(text.substr(start));
  }
  return pages;
}

}  // namespace pdftest
