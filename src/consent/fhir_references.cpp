#include "consent/fhir_references.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace radveil::consent {
namespace {

using nlohmann::json;

std::string string_member(const json& j, const char* name) {
  const auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The NHS number a Spine reference carries in its last segment
// (https://demographics.spineservices.nhs.uk/STU3/Patient/9434765919): the National Data Opt-out
// names patients this way, with no Patient resource beside the Consent.
std::vector<Identifier> nhs_number_in(const std::string& reference) {
  const auto host = reference.find(".nhs.uk/");
  const auto slash = reference.rfind('/');
  if (host == std::string::npos || slash == std::string::npos) return {};
  const std::string last = reference.substr(slash + 1);
  if (last.size() != 10 || !std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isdigit(c); }))
    return {};
  if (slash < 8 || reference.compare(slash - 8, 8, "/Patient") != 0) return {};
  return {{"https://fhir.nhs.uk/Id/nhs-number", last}};
}

}  // namespace

bool is_absolute_url(const std::string& reference) {
  return reference.rfind("http://", 0) == 0 || reference.rfind("https://", 0) == 0;
}

std::string without_history(std::string url) {
  if (const auto h = url.find("/_history/"); h != std::string::npos) url.resize(h);
  return url;
}

std::string without_trailing_slashes(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

std::string relative_reference(const std::string& reference) {
  const std::string r = without_history(reference);
  // The last two segments, Type/id, when the first of them looks like a resource type.
  const auto last = r.rfind('/');
  if (last == std::string::npos || last == 0 || last + 1 == r.size()) return {};
  const auto before = r.rfind('/', last - 1);
  const std::string type = r.substr(before == std::string::npos ? 0 : before + 1, last - (before == std::string::npos ? 0 : before + 1));
  if (type.empty() || !std::isupper(static_cast<unsigned char>(type[0]))) return {};
  return type + "/" + r.substr(last + 1);
}

std::string server_base(const std::string& full_url) {
  if (!is_absolute_url(full_url)) return {};
  const std::string url = without_history(full_url);
  const std::string relative = relative_reference(url);
  if (relative.empty() || url.size() <= relative.size() + 1) return {};
  return url.substr(0, url.size() - relative.size() - 1);
}

void ResourceIndex::add(const json& resource, const std::string& full_url) {
  if (!resource.is_object()) return;
  const auto put = [&](const std::string& key) {
    const auto [it, fresh] = by_key_.emplace(key, &resource);
    if (!fresh && it->second != &resource) it->second = nullptr;  // two resources under one key
  };
  if (!full_url.empty()) put(without_history(full_url));
  const std::string type = string_member(resource, "resourceType"), id = string_member(resource, "id");
  if (!type.empty() && !id.empty()) put(type + "/" + id);
}

const json* ResourceIndex::find(const std::string& reference, const Holder& holder) const {
  if (reference.empty()) return nullptr;
  if (reference[0] == '#') {
    const auto contained = holder.resource.find("contained");
    if (contained == holder.resource.end() || !contained->is_array()) return nullptr;
    for (const json& r : *contained)
      if (r.is_object() && "#" + string_member(r, "id") == reference) return &r;
    return nullptr;
  }
  const auto at = [&](const std::string& key) -> const json* {
    const auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : it->second;
  };
  if (is_absolute_url(reference)) return at(without_history(reference));  // that server's resource, no other
  if (reference.rfind("urn:", 0) == 0) return at(reference);
  const std::string relative = relative_reference(reference);
  if (relative.empty()) return nullptr;
  if (!holder.base.empty())
    if (const json* r = at(holder.base + "/" + relative)) return r;
  return at(relative);
}

std::vector<Identifier> known_identifiers(const std::string& reference, const Holder& holder, const PatientDirectory* known) {
  if (!known || reference.empty() || reference[0] == '#') return {};
  if (is_absolute_url(reference) && server_base(reference) != holder.base) return {};  // another server's resource
  return known->find(reference);
}

std::vector<Identifier> identifiers_of(const json& resource) {
  std::vector<Identifier> out;
  const auto list = resource.find("identifier");
  if (list == resource.end()) return out;
  const auto take = [&](const json& i) {
    if (!i.is_object()) return;
    Identifier id{string_member(i, "system"), string_member(i, "value")};
    if (!id.value.empty()) out.push_back(std::move(id));
  };
  if (list->is_array()) {
    for (const json& i : *list) take(i);
  } else {
    take(*list);  // STU3 has one identifier on some resources
  }
  return out;
}

std::vector<Identifier> patient_identifiers_of(const json& ref, const Holder& holder, const ResourceIndex& index,
                                               const PatientDirectory* patients) {
  if (!ref.is_object()) return {};
  if (const auto id = ref.find("identifier"); id != ref.end() && id->is_object()) {
    Identifier out{string_member(*id, "system"), string_member(*id, "value")};
    if (!out.value.empty()) return {out};
  }
  const std::string reference = string_member(ref, "reference");
  if (reference.empty()) return {};
  if (const json* patient = index.find(reference, holder)) {
    if (string_member(*patient, "resourceType") != "Patient") return {};
    return identifiers_of(*patient);
  }
  if (relative_reference(reference).rfind("Patient/", 0) == 0)
    if (auto known = known_identifiers(reference, holder, patients); !known.empty()) return known;
  return nhs_number_in(reference);
}

std::vector<Identifier> PatientDirectory::find(const std::string& reference) const {
  const std::string key = relative_reference(reference);
  if (const auto it = by_reference.find(key); !key.empty() && it != by_reference.end()) return it->second;
  return {};
}

PatientDirectory parse_patient_directory(std::string_view text) {
  PatientDirectory out;
  std::size_t line_number = 0, pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const json patient = json::parse(line, nullptr, false);
    const std::string where = "patients file, line " + std::to_string(line_number) + ": ";
    if (patient.is_discarded() || !patient.is_object()) throw std::runtime_error(where + "not a JSON object");
    const std::string type = string_member(patient, "resourceType");
    if (type.empty()) throw std::runtime_error(where + "not a FHIR resource");
    const std::string id = string_member(patient, "id");
    if (id.empty()) throw std::runtime_error(where + "a resource without an id cannot be referenced");
    std::vector<Identifier> identifiers = identifiers_of(patient);
    if (identifiers.empty()) throw std::runtime_error(where + type + "/" + id + " has no identifier with a value");
    out.by_reference[type + "/" + id] = std::move(identifiers);
  }
  return out;
}

}  // namespace radveil::consent
