#include "audit/audit_config.h"

#include <fstream>
#include <set>
#include <sstream>

#include "core/toml_text.h"

namespace radveil::audit {
namespace {

void only_keys(const toml::table& table, const std::set<std::string_view>& allowed, const std::string& where) {
  for (const auto& [key, node] : table)
    if (!allowed.count(key.str())) throw AuditConfigError("unknown key " + where + std::string(key.str()) + " in the audit configuration");
}

std::string text_of(const toml::table& t, const char* key, const std::string& where) {
  const auto* node = t.get(key);
  if (!node) return {};
  const auto value = node->value<std::string>();
  if (!value) throw AuditConfigError(where + key + " must be a string");
  return *value;
}

std::filesystem::path path_of(const toml::table& t, const char* key, const std::string& where, const std::filesystem::path& base) {
  const std::string text = text_of(t, key, where);
  if (text.empty()) return {};
  const std::filesystem::path p(text);
  return p.is_absolute() ? p : base / p;
}

int integer_of(const toml::table& t, const char* key, const std::string& where, int fallback, int low, int high) {
  const auto* node = t.get(key);
  if (!node) return fallback;
  const auto value = node->value<std::int64_t>();
  if (!value || *value < low || *value > high)
    throw AuditConfigError(where + key + " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
  return static_cast<int>(*value);
}

SyslogTarget syslog_of(const toml::table& t, const std::filesystem::path& base) {
  only_keys(t, {"host", "port", "tls", "ca_file", "cert_file", "key_file", "server_name", "timeout_seconds"}, "syslog.");
  SyslogTarget s;
  s.host = text_of(t, "host", "syslog.");
  if (s.host.empty()) throw AuditConfigError("[syslog] needs host, the collector's name or address");
  s.port = integer_of(t, "port", "syslog.", 6514, 1, 65535);
  if (const auto* node = t.get("tls")) {
    const auto value = node->value<bool>();
    if (!value) throw AuditConfigError("syslog.tls must be true or false");
    s.tls = *value;
  }
  s.ca_file = path_of(t, "ca_file", "syslog.", base);
  s.cert_file = path_of(t, "cert_file", "syslog.", base);
  s.key_file = path_of(t, "key_file", "syslog.", base);
  if (s.cert_file.empty() != s.key_file.empty()) throw AuditConfigError("syslog.cert_file and syslog.key_file go together");
  if (!s.tls && (!s.ca_file.empty() || !s.cert_file.empty()))
    throw AuditConfigError("syslog certificates are set but tls = false: audit messages would leave in clear text");
  s.server_name = text_of(t, "server_name", "syslog.");
  s.timeout_seconds = integer_of(t, "timeout_seconds", "syslog.", 10, 1, 600);
  return s;
}

}  // namespace

AuditConfig parse_audit_config(std::string_view text, const std::filesystem::path& base, const std::filesystem::path& state_dir) {
  const toml::table table = parse_toml<AuditConfigError>(text, "the audit configuration");
  only_keys(table, {"file", "source_id", "enterprise_site_id", "syslog"}, "");
  AuditConfig c;
  c.file = path_of(table, "file", "", base);
  if (c.file.empty()) c.file = state_dir / "audit.log";
  c.source_id = text_of(table, "source_id", "");
  c.enterprise_site_id = text_of(table, "enterprise_site_id", "");
  if (const auto* node = table.get("syslog")) {
    const auto* syslog = node->as_table();
    if (!syslog) throw AuditConfigError("syslog must be a table ([syslog])");
    c.syslog = syslog_of(*syslog, base);
  }
  return c;
}

AuditConfig load_audit_config(const std::filesystem::path& file, const std::filesystem::path& state_dir) {
  const std::filesystem::path chosen = file.empty() ? state_dir / "audit.toml" : file;
  std::ifstream in(chosen, std::ios::binary);
  if (!in) {
    if (file.empty()) return parse_audit_config("", state_dir, state_dir);  // no configuration: the defaults
    throw AuditConfigError("cannot read the audit configuration " + chosen.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_audit_config(text.str(), chosen.parent_path(), state_dir);
}

}  // namespace radveil::audit
