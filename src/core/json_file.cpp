#include "core/json_file.h"

#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace radveil {

std::string json_text(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_json_file(const std::filesystem::path& file, const nlohmann::json& value) {
  const std::filesystem::path temporary = file.string() + "." + std::to_string(::getpid()) + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << json_text(value) << "\n";
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(temporary, ec);
      throw std::runtime_error("a JSON file cannot be written in the folder given for it");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw std::runtime_error("a JSON file cannot be moved into place in the folder given for it");
  }
}

}  // namespace radveil
