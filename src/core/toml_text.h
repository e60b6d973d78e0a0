#pragma once
// Parsing a configuration file's TOML, with a parse error reported as the caller's error type
// ("<what> is not valid TOML (<reason> at line L, column C)").
#include <toml++/toml.h>

#include <sstream>
#include <string>
#include <string_view>

namespace radveil {

template <class Error>
toml::table parse_toml(std::string_view text, const std::string& what) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    throw Error(what + " is not valid TOML (" + std::string(e.description()) + " at " + where.str() + ")");
  }
}

}  // namespace radveil
