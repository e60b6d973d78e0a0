#include "gateway/node_config.h"

#include <fstream>
#include <set>
#include <sstream>

#include "consent/recipient.h"
#include "core/toml_text.h"

namespace radveil::gateway {
namespace {

using E = NodeConfigError;

// DICOM AE titles: 1-16 characters of the default repertoire, no backslash or control characters,
// not only spaces.
bool valid_ae_title(const std::string& ae) {
  if (ae.empty() || ae.size() > 16 || ae.find_first_not_of(' ') == std::string::npos) return false;
  for (const char c : ae)
    if (c < 0x20 || c > 0x7e || c == '\\') return false;
  return true;
}

std::string ae_of(const toml::table& t, const char* key, const std::string& where, const std::string& fallback) {
  std::string ae = toml_string<E>(t, key, where);
  if (ae.empty()) ae = fallback;
  if (!valid_ae_title(ae)) throw E(where + key + " must be 1-16 characters, no backslash: " + ae);
  return ae;
}

std::optional<TlsSettings> tls_of(const toml::table& parent, const std::string& where, const std::filesystem::path& base,
                                  bool own_certificate_required) {
  const auto* node = parent.get("tls");
  if (!node) return std::nullopt;
  const auto* t = node->as_table();
  if (!t) throw E(where + "tls must be a table");
  const std::string at = where + "tls.";
  toml_only_keys<E>(*t, {"cert_file", "key_file", "ca_file", "require_peer_certificate"}, at);
  TlsSettings s;
  s.cert_file = toml_path<E>(*t, "cert_file", at, base);
  s.key_file = toml_path<E>(*t, "key_file", at, base);
  s.ca_file = toml_path<E>(*t, "ca_file", at, base);
  s.require_peer_certificate = toml_bool<E>(*t, "require_peer_certificate", at, true);
  if (s.cert_file.empty() != s.key_file.empty()) throw E(at + "cert_file and key_file go together");
  if (own_certificate_required && s.cert_file.empty()) throw E(at + "cert_file and key_file are needed: the node's certificate");
  if (s.ca_file.empty()) throw E(at + "ca_file is needed: whose certificates to trust");
  return s;
}

ListenSettings listen_of(const toml::table& t, const std::filesystem::path& base) {
  toml_only_keys<E>(t, {"ae_title", "port", "allow", "stable_seconds", "max_associations", "max_pdu", "timeout_seconds",
                        "request_seconds", "max_pending_connections", "max_pending_per_host", "min_free_mb", "tls"},
                    "listen.");
  ListenSettings l;
  l.ae_title = ae_of(t, "ae_title", "listen.", "RADVEIL");
  l.port = static_cast<int>(toml_integer<E>(t, "port", "listen.", 11112, 1, 65535));
  const auto* allow = t.get("allow") ? t.get("allow")->as_array() : nullptr;
  if (!allow || allow->empty())
    throw E("listen.allow must list the calling AE titles the node accepts (e.g. [\"PACS\", \"CT01@10.1.2.3\"])");
  for (const auto& item : *allow) {
    const auto text = item.value<std::string>();
    if (!text) throw E("listen.allow holds strings: \"AE\" or \"AE@host\"");
    const auto at = text->find('@');
    AllowedCaller c{text->substr(0, at), at == std::string::npos ? "" : text->substr(at + 1)};
    if (!valid_ae_title(c.ae_title)) throw E("listen.allow: not an AE title: " + c.ae_title);
    if (at != std::string::npos && c.host.empty()) throw E("listen.allow: no host after '@' in " + *text);
    l.allow.push_back(std::move(c));
  }
  l.stable_seconds = static_cast<int>(toml_integer<E>(t, "stable_seconds", "listen.", 60, 0, 86400));
  l.max_associations = static_cast<int>(toml_integer<E>(t, "max_associations", "listen.", 8, 1, 256));
  l.max_pdu = static_cast<unsigned>(toml_integer<E>(t, "max_pdu", "listen.", 65536, 4096, 131072));
  l.timeout_seconds = static_cast<int>(toml_integer<E>(t, "timeout_seconds", "listen.", 30, 1, 3600));
  l.request_seconds = static_cast<int>(toml_integer<E>(t, "request_seconds", "listen.", 5, 1, 60));
  l.max_pending_connections = static_cast<int>(toml_integer<E>(t, "max_pending_connections", "listen.", 64, 1, 4096));
  l.max_pending_per_host = static_cast<int>(toml_integer<E>(t, "max_pending_per_host", "listen.", 8, 1, 4096));
  l.min_free_mb = static_cast<std::uint64_t>(toml_integer<E>(t, "min_free_mb", "listen.", 256, 0, 1 << 30));
  l.tls = tls_of(t, "listen.", base, true);
  return l;
}

Destination destination_of(const toml::table& t, const std::string& where, const std::filesystem::path& base) {
  Destination d;
  const std::string kind = toml_string<E>(t, "kind", where);
  if (kind == "dicom") {
    toml_only_keys<E>(t, {"kind", "ae_title", "host", "port", "calling_ae_title", "timeout_seconds", "connections", "tls"}, where);
    d.kind = Destination::Kind::Dicom;
    d.ae_title = ae_of(t, "ae_title", where, "");
    d.host = toml_string<E>(t, "host", where);
    if (d.host.empty()) throw E(where + "host is needed for a dicom destination");
    d.port = static_cast<int>(toml_integer<E>(t, "port", where, 104, 1, 65535));
    d.calling_ae_title = toml_string<E>(t, "calling_ae_title", where);
    d.tls = tls_of(t, where, base, false);
  } else if (kind == "stow") {
    toml_only_keys<E>(t, {"kind", "url", "timeout_seconds", "connections"}, where);
    d.kind = Destination::Kind::Stow;
    d.url = toml_string<E>(t, "url", where);
    if (d.url.rfind("http://", 0) != 0 && d.url.rfind("https://", 0) != 0)
      throw E(where + "url must be an http:// or https:// STOW-RS endpoint (.../studies)");
  } else if (kind == "folder") {
    toml_only_keys<E>(t, {"kind", "path"}, where);
    d.kind = Destination::Kind::Folder;
    d.path = toml_path<E>(t, "path", where, base);
    if (d.path.empty()) throw E(where + "path is needed for a folder destination");
  } else {
    throw E(where + "kind must be \"dicom\", \"stow\" or \"folder\"");
  }
  d.timeout_seconds = static_cast<int>(toml_integer<E>(t, "timeout_seconds", where, 30, 1, 3600));
  d.connections = d.kind == Destination::Kind::Folder ? 1 : static_cast<int>(toml_integer<E>(t, "connections", where, 4, 1, 32));
  return d;
}

Route route_of(const toml::table& t, std::size_t n, const std::filesystem::path& base) {
  std::string where = "route[" + std::to_string(n) + "].";
  toml_only_keys<E>(t, {"name", "purpose", "recipient", "options", "destination", "retry_initial_seconds", "retry_max_seconds", "jobs",
                     "scan_gate"},
                    where);
  Route r;
  r.name = toml_string<E>(t, "name", where);
  if (!consent::valid_recipient_id(r.name)) throw E(where + "name must be letters, digits, '.', '-', '_' (it names folders)");
  where = "route " + r.name + ": ";
  r.purpose = toml_string<E>(t, "purpose", where);
  if (r.purpose.empty()) throw E(where + "purpose is needed (a PurposeOfUse code, e.g. HRESCH)");
  r.recipient = toml_string<E>(t, "recipient", where);
  if (r.recipient.empty()) throw E(where + "recipient is needed (registered with radveil recipient add)");
  if (const auto* options = t.get("options")) {
    const auto* list = options->as_array();
    if (!list) throw E(where + "options must be a list of option names");
    for (const auto& o : *list) {
      const auto name = o.value<std::string>();
      if (!name) throw E(where + "options must be a list of option names");
      r.option_names.push_back(*name);
    }
  }
  try {
    r.options = profile::parse_options(r.option_names);
  } catch (const profile::OptionError& e) {
    throw E(where + e.what());
  }
  const auto* destination = t.get("destination") ? t.get("destination")->as_table() : nullptr;
  if (!destination) throw E(where + "destination = { kind = \"dicom\" | \"stow\" | \"folder\", ... } is needed");
  r.destination = destination_of(*destination, where + "destination.", base);
  r.retry_initial_seconds = static_cast<int>(toml_integer<E>(t, "retry_initial_seconds", where, 5, 1, 3600));
  r.retry_max_seconds = static_cast<int>(toml_integer<E>(t, "retry_max_seconds", where, 300, 1, 86400));
  r.jobs = static_cast<int>(toml_integer<E>(t, "jobs", where, 0, 0, 1024));
  if (t.contains("scan_gate")) {
    const std::string level = toml_string<E>(t, "scan_gate", where);
    if (level != "low" && level != "medium" && level != "high") throw E(where + "scan_gate must be \"low\", \"medium\" or \"high\"");
    r.scan_gate = scan::parse_fail_level(level);
  }
  return r;
}

}  // namespace

std::string Destination::describe() const {
  switch (kind) {
    case Kind::Dicom: return "dicom " + ae_title + "@" + host + ":" + std::to_string(port) + (tls ? " (TLS)" : "");
    case Kind::Stow: return "stow " + url;
    case Kind::Folder: return "folder " + path.string();
  }
  return "unknown";
}

NodeConfig parse_node_config(std::string_view text, const std::filesystem::path& base) {
  const toml::table table = parse_toml<E>(text, "the node configuration");
  toml_only_keys<E>(table, {"state", "key", "listen", "status", "route"}, "");
  NodeConfig c;
  c.state = toml_path<E>(table, "state", "", base);
  if (c.state.empty()) throw E("state is needed: the folder for the state database, spool, quarantine and ledger");
  c.key = toml_path<E>(table, "key", "", base);
  if (c.key.empty()) throw E("key is needed: the site key file (radveil key new)");
  const auto* listen = table.get("listen") ? table.get("listen")->as_table() : nullptr;
  if (!listen) throw E("[listen] is needed: ae_title, port, allow");
  c.listen = listen_of(*listen, base);
  if (const auto* status = table.get("status")) {
    const auto* s = status->as_table();
    if (!s) throw E("status must be a table ([status] port = 8099)");
    toml_only_keys<E>(*s, {"port"}, "status.");
    c.status_port = static_cast<int>(toml_integer<E>(*s, "port", "status.", 8099, 1, 65535));
  }
  const auto* routes = table.get("route") ? table.get("route")->as_array() : nullptr;
  if (!routes || routes->empty()) throw E("at least one [[route]] is needed");
  std::set<std::string> names;
  for (std::size_t i = 0; i < routes->size(); ++i) {
    const auto* r = (*routes)[i].as_table();
    if (!r) throw E("route must be an array of tables ([[route]])");
    c.routes.push_back(route_of(*r, i, base));
    if (!names.insert(c.routes.back().name).second) throw E("two routes are named " + c.routes.back().name);
  }
  return c;
}

NodeConfig load_node_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw E("cannot read the node configuration " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  std::error_code ec;
  return parse_node_config(text.str(), std::filesystem::absolute(file, ec).parent_path());
}

}  // namespace radveil::gateway
