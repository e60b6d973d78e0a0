#pragma once
// Text placed into HTML pages (the patient letter, the scan report): the five characters that
// would change the markup, escaped.
#include <string>
#include <string_view>

namespace radveil {

std::string html_escape(std::string_view text);

}  // namespace radveil
