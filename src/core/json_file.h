#pragma once
// Writing radveil's JSON (reports, manifests, summaries). Serialising never throws on text that
// is not valid UTF-8 (such text is replaced, byte by byte, with U+FFFD), so one odd value cannot
// cost a run its report; files are written whole or not at all.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace radveil {

// `value` as JSON text; indent < 0 gives one line.
std::string json_text(const nlohmann::json& value, int indent = 2);

// Writes `value` to `file` through a temporary file in the same folder and a rename, so a reader
// never sees half a report. Throws std::runtime_error when the file cannot be written.
void write_json_file(const std::filesystem::path& file, const nlohmann::json& value);

}  // namespace radveil
