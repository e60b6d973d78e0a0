#include "support/report_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace radveil::test {

std::vector<ManifestLine> read_manifest(const std::filesystem::path& quarantine) {
  std::vector<ManifestLine> lines;
  std::ifstream in(quarantine / "manifest.jsonl");
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "manifest line is not JSON";
    if (j.is_discarded()) continue;
    lines.push_back({j.value("id", ""), j.value("reason", ""), j.value("detail", ""), j.value("source", ""), j});
  }
  return lines;
}

namespace {
void collect(const nlohmann::json& j, std::vector<std::string>& out) {
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      out.push_back(key);
      collect(value, out);
    }
  } else if (j.is_array()) {
    for (const auto& value : j) collect(value, out);
  }
}
}  // namespace

std::vector<std::string> strings_in(const nlohmann::json& document) {
  std::vector<std::string> out;
  collect(document, out);
  return out;
}

bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

std::vector<std::string> text_runs(std::string_view bytes, std::size_t min_length) {
  std::vector<std::string> runs;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= bytes.size(); ++i) {
    const bool printable = i < bytes.size() && bytes[i] >= 0x20 && bytes[i] <= 0x7e;
    if (printable) continue;
    const std::string_view run = bytes.substr(start, i - start);
    const bool has_letter =
        std::any_of(run.begin(), run.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
    if (run.size() >= min_length && has_letter) runs.emplace_back(run);
    start = i + 1;
  }
  std::sort(runs.begin(), runs.end());
  runs.erase(std::unique(runs.begin(), runs.end()), runs.end());
  return runs;
}

namespace {
bool all_of_set(std::string_view s, std::string_view allowed) {
  return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}

// The summary's shapes: a title line, "  <words>: <figures or a path>", "      <reason>: <count>".
bool radveil_line(std::string_view line) {
  if (line.rfind("radveil deid: ", 0) == 0) return true;
  const auto colon = line.find(": ");
  if (colon == std::string_view::npos) return false;
  const std::string_view head = line.substr(0, colon), tail = line.substr(colon + 2);
  if (head.rfind("      ", 0) == 0)
    return all_of_set(head.substr(6), "abcdefghijklmnopqrstuvwxyz0123456789-") && all_of_set(tail, "0123456789");
  return head.rfind("  ", 0) == 0 && head.size() > 2 && head[2] >= 'a' && head[2] <= 'z' &&
         all_of_set(head.substr(2), "abcdefghijklmnopqrstuvwxyz ");
}
}  // namespace

std::vector<std::string> foreign_lines(const std::string& output) {
  std::vector<std::string> foreign;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (!radveil_line(line)) foreign.push_back(line);
  return foreign;
}

}  // namespace radveil::test
