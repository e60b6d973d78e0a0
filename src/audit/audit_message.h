#pragma once
// A DICOM audit message (PS3.15 A.5.1, the XML schema RFC 3881 grew into): who did what to which
// objects, with what outcome. A value type; to_xml() renders it on one line, attributes escaped,
// so that one message is one line of the audit file and one syslog message.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace radveil::audit {

// A coded value as the schema writes it: csd-code, codeSystemName, originalText.
struct Code {
  std::string code, system, text;
};

enum class Outcome { Success = 0, MinorFailure = 4, SeriousFailure = 8, MajorFailure = 12 };

struct ActiveParticipant {
  std::string user_id, alternative_user_id, user_name;
  bool is_requestor = false;
  std::optional<Code> role;
  std::string network_access_point;  // a machine name (type 1) when set
  std::optional<Code> media_type;     // for a Destination Media participant (110154)
};

struct ParticipantObjectDetail {
  std::string type, value;  // the value is written base64-encoded, as the schema asks
};

struct SopClassCount {
  std::string uid;
  std::uint64_t instances = 0;
};

struct ParticipantObject {
  std::string id;
  int type_code = 0;   // 1 person, 2 system object, 3 organization, 4 other
  int role_code = 0;   // RFC 3881 role: 1 patient, 3 report, 13 security resource, 16 data destination...
  Code id_type;
  std::string name;
  std::vector<ParticipantObjectDetail> details;
  std::string description;
  std::vector<SopClassCount> sop_classes;
  std::vector<std::string> contains_studies;
  std::optional<bool> encrypted, anonymized;
};

struct AuditMessage {
  Code event_id;
  char action = 'E';  // C create, R read, U update, D delete, E execute
  std::string event_time;  // xs:dateTime, UTC
  Outcome outcome = Outcome::Success;
  std::string outcome_description;
  std::vector<Code> event_types;
  std::vector<Code> purposes_of_use;
  std::vector<ActiveParticipant> participants;
  std::string source_id, enterprise_site_id;
  std::optional<Code> source_type;
  std::vector<ParticipantObject> objects;
};

std::string to_xml(const AuditMessage& message);

// "2026-11-27T12:00:00.123Z" for a UTC instant in milliseconds since the epoch.
std::string xml_time(std::int64_t unix_millis);

}  // namespace radveil::audit
