#include "consent/recipient.h"

#include <algorithm>
#include <cctype>

namespace radveil::consent {

bool valid_recipient_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::isalnum(static_cast<unsigned char>(id.front())) &&
         std::all_of(id.begin(), id.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c == '_'; });
}

}  // namespace radveil::consent
