#pragma once
// Action C on free text: keep the meaning, remove what identifies. Removes every identifying value
// of the instance, and anything shaped like a date, an identifier or phone number (5+ digits), or
// an e-mail address. Replacements are "***".
#include <string>
#include <string_view>

#include "deid/identifying_values.h"

namespace radveil::deid {

std::string clean_text(std::string_view text, const IdentifyingValues& identifying);

}  // namespace radveil::deid
