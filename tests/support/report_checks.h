#pragma once
// What tests look for in the texts radveil writes (report, quarantine manifest): radveil's own
// words and validated values only, never bytes from an input.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace radveil::test {

struct ManifestLine {
  std::string id, reason, detail, source;
  nlohmann::json fields;  // the whole line
};
// The lines of QUARANTINE/manifest.jsonl; a line that is not JSON fails the calling test.
std::vector<ManifestLine> read_manifest(const std::filesystem::path& quarantine);

// Every string in a JSON document, object keys included.
std::vector<std::string> strings_in(const nlohmann::json& document);

// Only bytes 0x20-0x7E.
bool printable_ascii(std::string_view text);

// Runs of at least `min_length` printable bytes in `bytes` that hold a letter: the text a file
// could leak (runs of digits and dots only are UID-shaped, which radveil may quote once it has
// validated them).
std::vector<std::string> text_runs(std::string_view bytes, std::size_t min_length);

// The lines of a `radveil deid` run's terminal output (progress bar off: not a terminal) that are
// not radveil's own summary lines: what a library printed.
std::vector<std::string> foreign_lines(const std::string& output);

}  // namespace radveil::test
