#pragma once
// Standard base64 (RFC 4648, with padding), as signed notes, ledger leaves and audit message
// details carry binary values.
#include <optional>
#include <string>
#include <string_view>

namespace radveil {

std::string base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);  // nullopt when not valid base64

}  // namespace radveil
