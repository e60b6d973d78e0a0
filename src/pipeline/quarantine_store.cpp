#include "pipeline/quarantine_store.h"

#include <fstream>
#include <nlohmann/json.hpp>

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
    const auto temp = folder / ("." + id + ".tmp");
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
  manifest << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  return id;
}

}  // namespace radveil::pipeline
