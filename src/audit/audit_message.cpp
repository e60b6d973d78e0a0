#include "audit/audit_message.h"

#include <cstdio>
#include <ctime>

#include "core/base64.h"

namespace radveil::audit {
namespace {

// Attribute and text content alike: the five XML escapes, and control characters as character
// references so that a message stays on one line (XML 1.0 cannot carry other C0 controls at all).
std::string escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (c < 0x20 || c == 0x7f) out += '?';
        else out += ch;
    }
  }
  return out;
}

class Xml {
 public:
  Xml& open(const char* element) {
    finish_open();
    out_ += '<';
    out_ += element;
    stack_.push_back(element);
    open_tag_ = true;
    return *this;
  }
  Xml& attribute(const char* name, const std::string& value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    out_ += escaped(value);
    out_ += '"';
    return *this;
  }
  Xml& text(const std::string& value) {
    finish_open();
    out_ += escaped(value);
    return *this;
  }
  Xml& close() {
    if (open_tag_) {
      out_ += "/>";
      open_tag_ = false;
    } else {
      out_ += "</";
      out_ += stack_.back();
      out_ += '>';
    }
    stack_.pop_back();
    return *this;
  }
  Xml& coded(const char* element, const Code& c) {
    return open(element).attribute("csd-code", c.code).attribute("codeSystemName", c.system).attribute("originalText", c.text).close();
  }
  std::string str() && { return std::move(out_); }

 private:
  void finish_open() {
    if (open_tag_) out_ += '>';
    open_tag_ = false;
  }
  std::string out_;
  std::vector<const char*> stack_;
  bool open_tag_ = false;
};

void participant(Xml& x, const ActiveParticipant& p) {
  x.open("ActiveParticipant").attribute("UserID", p.user_id);
  if (!p.alternative_user_id.empty()) x.attribute("AlternativeUserID", p.alternative_user_id);
  if (!p.user_name.empty()) x.attribute("UserName", p.user_name);
  x.attribute("UserIsRequestor", p.is_requestor ? "true" : "false");
  if (!p.network_access_point.empty())
    x.attribute("NetworkAccessPointID", p.network_access_point).attribute("NetworkAccessPointTypeCode", "1");
  if (p.role) x.coded("RoleIDCode", *p.role);
  if (p.media_type) x.open("MediaIdentifier").coded("MediaType", *p.media_type).close();
  x.close();
}

void object(Xml& x, const ParticipantObject& o) {
  x.open("ParticipantObjectIdentification")
      .attribute("ParticipantObjectID", o.id)
      .attribute("ParticipantObjectTypeCode", std::to_string(o.type_code))
      .attribute("ParticipantObjectTypeCodeRole", std::to_string(o.role_code));
  x.coded("ParticipantObjectIDTypeCode", o.id_type);
  if (!o.name.empty()) x.open("ParticipantObjectName").text(o.name).close();
  for (const auto& d : o.details) x.open("ParticipantObjectDetail").attribute("type", d.type).attribute("value", base64(d.value)).close();
  if (!o.description.empty()) x.open("ParticipantObjectDescription").text(o.description).close();
  for (const auto& s : o.sop_classes)
    x.open("SOPClass").attribute("UID", s.uid).attribute("NumberOfInstances", std::to_string(s.instances)).close();
  if (!o.contains_studies.empty()) {
    x.open("ParticipantObjectContainsStudy");
    for (const auto& uid : o.contains_studies) x.open("StudyIDs").attribute("UID", uid).close();
    x.close();
  }
  if (o.encrypted) x.open("Encrypted").text(*o.encrypted ? "true" : "false").close();
  if (o.anonymized) x.open("Anonymized").text(*o.anonymized ? "true" : "false").close();
  x.close();
}

}  // namespace

std::string to_xml(const AuditMessage& m) {
  Xml x;
  x.open("AuditMessage");
  x.open("EventIdentification")
      .attribute("EventActionCode", std::string(1, m.action))
      .attribute("EventDateTime", m.event_time)
      .attribute("EventOutcomeIndicator", std::to_string(static_cast<int>(m.outcome)));
  x.coded("EventID", m.event_id);
  for (const auto& t : m.event_types) x.coded("EventTypeCode", t);
  if (!m.outcome_description.empty()) x.open("EventOutcomeDescription").text(m.outcome_description).close();
  for (const auto& p : m.purposes_of_use) x.coded("PurposeOfUse", p);
  x.close();
  for (const auto& p : m.participants) participant(x, p);
  x.open("AuditSourceIdentification");
  if (!m.enterprise_site_id.empty()) x.attribute("AuditEnterpriseSiteID", m.enterprise_site_id);
  x.attribute("AuditSourceID", m.source_id);
  if (m.source_type) x.coded("AuditSourceTypeCode", *m.source_type);
  x.close();
  for (const auto& o : m.objects) object(x, o);
  x.close();
  return R"(<?xml version="1.0" encoding="UTF-8"?>)" + std::move(x).str();
}

std::string xml_time(std::int64_t unix_millis) {
  const std::time_t seconds = static_cast<std::time_t>(unix_millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[80];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(unix_millis % 1000));
  return text;
}

}  // namespace radveil::audit
