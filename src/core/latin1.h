#pragma once
// ISO 8859-1 (DICOM "ISO_IR 100") bytes of UTF-8 text, for values written in that character set.
#include <string>
#include <string_view>

namespace radveil {

// Code points above U+00FF have no Latin-1 form and are dropped.
std::string utf8_to_latin1(std::string_view utf8);
// UTF-8 of ISO 8859-1 bytes (every byte has a form).
std::string latin1_to_utf8(std::string_view latin1);

}  // namespace radveil
