#include "audit/audit_config.h"

#include <fstream>
#include <set>
#include <sstream>

#include "core/toml_text.h"

namespace radveil::audit {
namespace {

SyslogTarget syslog_of(const toml::table& t, const std::filesystem::path& base) {
  toml_only_keys<AuditConfigError>(t, {"host", "port", "tls", "ca_file", "cert_file", "key_file", "server_name", "timeout_seconds"}, "syslog.");
  SyslogTarget s;
  s.host = toml_string<AuditConfigError>(t, "host", "syslog.");
  if (s.host.empty()) throw AuditConfigError("[syslog] needs host, the collector's name or address");
  s.port = static_cast<int>(toml_integer<AuditConfigError>(t, "port", "syslog.", 6514, 1, 65535));
  s.tls = toml_bool<AuditConfigError>(t, "tls", "syslog.", true);
  s.ca_file = toml_path<AuditConfigError>(t, "ca_file", "syslog.", base);
  s.cert_file = toml_path<AuditConfigError>(t, "cert_file", "syslog.", base);
  s.key_file = toml_path<AuditConfigError>(t, "key_file", "syslog.", base);
  if (s.cert_file.empty() != s.key_file.empty()) throw AuditConfigError("syslog.cert_file and syslog.key_file go together");
  if (!s.tls && (!s.ca_file.empty() || !s.cert_file.empty()))
    throw AuditConfigError("syslog certificates are set but tls = false: audit messages would leave in clear text");
  s.server_name = toml_string<AuditConfigError>(t, "server_name", "syslog.");
  s.timeout_seconds = static_cast<int>(toml_integer<AuditConfigError>(t, "timeout_seconds", "syslog.", 10, 1, 600));
  return s;
}

}  // namespace

AuditConfig parse_audit_config(std::string_view text, const std::filesystem::path& base, const std::filesystem::path& state_dir) {
  const toml::table table = parse_toml<AuditConfigError>(text, "the audit configuration");
  toml_only_keys<AuditConfigError>(table, {"file", "source_id", "enterprise_site_id", "syslog"}, "");
  AuditConfig c;
  c.file = toml_path<AuditConfigError>(table, "file", "", base);
  if (c.file.empty()) c.file = state_dir / "audit.log";
  c.source_id = toml_string<AuditConfigError>(table, "source_id", "");
  c.enterprise_site_id = toml_string<AuditConfigError>(table, "enterprise_site_id", "");
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
