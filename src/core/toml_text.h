#pragma once
// Parsing a configuration file's TOML, with a parse error reported as the caller's error type
// ("<what> is not valid TOML (<reason> at line L, column C)").
#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <set>
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

// Reading a configuration table's fields, each mistake reported as the caller's error type and
// named by its place ("syslog.port must be ...").
namespace radveil {

template <class Error>
void toml_only_keys(const toml::table& table, const std::set<std::string_view>& allowed, const std::string& where) {
  for (const auto& [key, node] : table)
    if (!allowed.count(key.str())) throw Error("unknown key " + where + std::string(key.str()));
}

template <class Error>
std::string toml_string(const toml::table& t, const char* key, const std::string& where) {
  const auto* node = t.get(key);
  if (!node) return {};
  const auto value = node->value<std::string>();
  if (!value) throw Error(where + key + " must be a string");
  return *value;
}

// A path relative to `base` unless absolute; empty when not given.
template <class Error>
std::filesystem::path toml_path(const toml::table& t, const char* key, const std::string& where, const std::filesystem::path& base) {
  const std::string text = toml_string<Error>(t, key, where);
  if (text.empty()) return {};
  const std::filesystem::path p(text);
  return p.is_absolute() ? p : base / p;
}

template <class Error>
std::int64_t toml_integer(const toml::table& t, const char* key, const std::string& where, std::int64_t fallback,
                          std::int64_t low, std::int64_t high) {
  const auto* node = t.get(key);
  if (!node) return fallback;
  const auto value = node->value<std::int64_t>();
  if (!value || *value < low || *value > high)
    throw Error(where + key + " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
  return *value;
}

template <class Error>
bool toml_bool(const toml::table& t, const char* key, const std::string& where, bool fallback) {
  const auto* node = t.get(key);
  if (!node) return fallback;
  const auto value = node->value<bool>();
  if (!value) throw Error(where + key + " must be true or false");
  return *value;
}

}  // namespace radveil
