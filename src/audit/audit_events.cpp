#include "audit/audit_events.h"

#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>

namespace radveil::audit {
namespace {

Code kDcm(const char* code, const char* text) { return {code, "DCM", text}; }

const Code kSourceRole = kDcm("110153", "Source Role ID");
const Code kDestinationRole = kDcm("110152", "Destination Role ID");
const Code kDestinationMedia = kDcm("110154", "Destination Media");
const Code kApplicationServer = {"4", "DCM", "Application Server Process Tier in a Multi-tier System"};

AuditMessage skeleton(const AuditSource& source, Code event, char action, std::int64_t unix_millis) {
  AuditMessage m;
  m.event_id = std::move(event);
  m.action = action;
  m.event_time = xml_time(unix_millis);
  m.source_id = source.source_id;
  m.enterprise_site_id = source.enterprise_site_id;
  m.source_type = kApplicationServer;
  return m;
}

ActiveParticipant radveil_process(const AuditSource& source, std::optional<Code> role, bool requestor) {
  return {"radveil", source.process_id, "radveil", requestor, std::move(role), source.host, std::nullopt};
}

ActiveParticipant person(const AuditSource& source) {
  return {source.user, "", source.user, true, std::nullopt, source.host, std::nullopt};
}

ActiveParticipant recipient_participant(const StudyTransfer& s) {
  return {s.recipient_id, "", s.recipient_name, false, kDestinationRole, "", std::nullopt};
}

// HL7 CX: ID^^^assigning authority, the issuer as the hospital names it.
std::string patient_cx(const StudyTransfer& s) { return s.patient_issuer.empty() ? s.patient_id : s.patient_id + "^^^" + s.patient_issuer; }

ParticipantObject patient_object(const StudyTransfer& s) {
  ParticipantObject o;
  o.id = patient_cx(s);
  o.type_code = 1;  // person
  o.role_code = 1;  // patient
  o.id_type = {"2", "RFC-3881", "Patient Number"};
  return o;
}

ParticipantObject study_object(const StudyTransfer& s) {
  ParticipantObject o;
  o.id = s.study_uid;
  o.type_code = 2;  // system object
  o.role_code = 3;  // report
  o.id_type = kDcm("110180", "Study Instance UID");
  o.details = {{"ExportID", s.export_id}, {"PseudonymousStudyInstanceUID", s.pseudonymous_study_uid}};
  o.sop_classes = s.sop_classes;
  o.encrypted = false;
  o.anonymized = true;  // what left is the de-identified copy
  return o;
}

// The recipient as a participant object: the data destination, by its registered ID.
ParticipantObject recipient_object(const StudyTransfer& s) {
  ParticipantObject o;
  o.id = s.recipient_id;
  o.type_code = 3;   // organization
  o.role_code = 16;  // data destination
  o.id_type = {"recipient", "urn:radveil:recipient", "radveil recipient ID"};
  o.name = s.recipient_name;
  if (!s.recipient_address.empty()) o.details.push_back({"Address", s.recipient_address});
  return o;
}

// The purpose the disclosure was decided for: the security resource that let it leave.
ParticipantObject purpose_object(const StudyTransfer& s) {
  ParticipantObject o;
  o.id = s.purpose_code;
  o.type_code = 2;   // system object
  o.role_code = 13;  // security resource
  o.id_type = {"purpose", s.purpose_system, "PurposeOfUse"};
  o.name = s.purpose_meaning;
  return o;
}

Code purpose_of_use(const StudyTransfer& s) { return {s.purpose_code, s.purpose_system, s.purpose_meaning}; }

}  // namespace

std::string file_uri(const std::filesystem::path& path) {
  std::error_code ec;
  const std::string text = std::filesystem::absolute(path, ec).lexically_normal().string();
  std::string uri = "file://";
  const char* hex = "0123456789ABCDEF";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      uri += ch;
    } else {
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    }
  }
  return uri;
}

AuditSource local_source(std::string source_id, std::string enterprise_site_id) {
  AuditSource s;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "localhost");
  s.host = host;
  s.source_id = source_id.empty() ? "radveil@" + s.host : std::move(source_id);
  s.enterprise_site_id = std::move(enterprise_site_id);
  s.process_id = std::to_string(getpid());
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) s.user = pw->pw_name;
  else s.user = "uid " + std::to_string(geteuid());
  return s;
}

AuditMessage begin_transferring(const AuditSource& source, const StudyTransfer& s, std::int64_t unix_millis) {
  AuditMessage m = skeleton(source, kDcm("110102", "Begin Transferring DICOM Instances"), 'E', unix_millis);
  m.purposes_of_use = {purpose_of_use(s)};
  m.participants = {radveil_process(source, kSourceRole, false), recipient_participant(s), person(source)};
  m.objects = {study_object(s), patient_object(s)};
  return m;
}

AuditMessage instances_transferred(const AuditSource& source, const StudyTransfer& s, Outcome outcome,
                                   std::int64_t unix_millis) {
  // 'R': radveil read the instances and sent copies; the recipient's own copy is its business.
  AuditMessage m = skeleton(source, kDcm("110104", "DICOM Instances Transferred"), 'R', unix_millis);
  m.outcome = outcome;
  m.purposes_of_use = {purpose_of_use(s)};
  m.participants = {radveil_process(source, kSourceRole, false), recipient_participant(s), person(source)};
  m.objects = {study_object(s), patient_object(s)};
  return m;
}

AuditMessage export_message(const AuditSource& source, const StudyTransfer& s, std::int64_t unix_millis) {
  AuditMessage m = skeleton(source, kDcm("110106", "Export"), 'R', unix_millis);
  m.purposes_of_use = {purpose_of_use(s)};
  ActiveParticipant media{s.destination, "", s.recipient_name, false, kDestinationMedia, "", kDcm("110037", "URI")};
  m.participants = {person(source), radveil_process(source, kSourceRole, false), std::move(media)};
  m.objects = {study_object(s), patient_object(s), recipient_object(s), purpose_object(s)};
  return m;
}

AuditMessage security_alert(const AuditSource& source, const std::string& subject, const std::string& description,
                            Outcome outcome, std::int64_t unix_millis) {
  AuditMessage m = skeleton(source, kDcm("110113", "Security Alert"), 'E', unix_millis);
  m.outcome = outcome;
  m.outcome_description = description;
  // DCID 403 has no code for "records changed behind the application's back"; the nearest is
  // "Object Security Attributes Changed" (docs/audit.md).
  m.event_types = {kDcm("110135", "Object Security Attributes Changed")};
  m.participants = {radveil_process(source, std::nullopt, false), person(source)};
  ParticipantObject o;
  o.id = subject;
  o.type_code = 2;
  o.role_code = 13;  // security resource
  o.id_type = {"12", "RFC-3881", "URI"};
  o.details = {{"Alert Description", description}};
  m.objects = {std::move(o)};
  return m;
}

}  // namespace radveil::audit
