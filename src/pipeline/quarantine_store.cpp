#include "pipeline/quarantine_store.h"

#include <fstream>
#include <unordered_map>
#include <vector>
#include <nlohmann/json.hpp>

#include "core/json_file.h"

namespace radveil::pipeline {


QuarantineStore::QuarantineStore(std::filesystem::path dir, const pseudonym::Pseudonymizer& pseudonymizer)
    : dir_(std::move(dir)), pseudonymizer_(pseudonymizer) {}

std::string QuarantineStore::put(const std::filesystem::path& source, const std::string& reason,
                                 const std::string& detail) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(source, ec);
  const std::string id = "Q" + pseudonymizer_.token("quarantine-path", absolute.string(), 20);
  const std::filesystem::path folder = dir_ / reason;
  std::filesystem::create_directories(folder, ec);
  std::string copy_error;
  if (!ec) {
    const auto target = folder / (id + ".dcm");
    const auto temp = dir_ / ".tmp" / (id + ".dcm");
    std::filesystem::create_directories(temp.parent_path(), ec);
    std::filesystem::copy_file(source, temp, std::filesystem::copy_options::overwrite_existing, ec);
    if (!ec) std::filesystem::rename(temp, target, ec);
    if (ec) {
      copy_error = ec.message();
      std::filesystem::remove(temp, ec);
    }
  } else {
    copy_error = ec.message();
  }
  nlohmann::json line = {{"id", id}, {"reason", reason}, {"detail", detail}, {"source", absolute.string()}};
  if (!copy_error.empty()) line["copy_error"] = copy_error;
  std::lock_guard lock(mutex_);
  std::ofstream manifest(dir_ / "manifest.jsonl", std::ios::app);
  manifest << json_text(line, -1) << '\n';
  return id;
}

void QuarantineStore::clear_staging() {
  std::error_code ec;
  std::filesystem::remove_all(dir_ / ".tmp", ec);
}

void QuarantineStore::finalize() {
  std::lock_guard lock(mutex_);
  const auto manifest = dir_ / "manifest.jsonl";
  std::ifstream in(manifest);
  if (!in) return;
  std::vector<std::string> lines;
  std::unordered_map<std::string, std::size_t> last_line_of;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_discarded() || !parsed.contains("id")) continue;  // a line cut short by a kill
    last_line_of[parsed["id"].get<std::string>()] = lines.size();
    lines.push_back(line);
  }
  const auto temp = dir_ / ".manifest.tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto parsed = nlohmann::json::parse(lines[i]);
      if (last_line_of[parsed["id"].get<std::string>()] == i) out << lines[i] << '\n';
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, manifest, ec);
  std::filesystem::remove_all(dir_ / ".tmp", ec);
}

}  // namespace radveil::pipeline
