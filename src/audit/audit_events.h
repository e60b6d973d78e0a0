#pragma once
// The audit messages radveil emits (PS3.15 A.5.3), built from what happened: a study began
// leaving for a recipient (110102 Begin Transferring DICOM Instances), it left (110104 DICOM
// Instances Transferred, 110106 Export with the purpose and recipient), and the ledger failed a
// check (110113 Security Alert). They carry the hospital's Patient ID and Study Instance UID:
// audit messages stay inside the hospital (audit_config.h refuses to send them in clear text).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "audit/audit_message.h"

namespace radveil::audit {

// The machine, process and person a message comes from: the same for every message of a run.
struct AuditSource {
  std::string source_id;           // AuditSourceID, e.g. "radveil@ct-gateway-1"
  std::string enterprise_site_id;  // optional
  std::string host;                // this machine's name
  std::string process_id;          // this process
  std::string user;                // who started it (the requestor), e.g. the login name
};

// A file: URI of a local path (absolute, normalised, reserved characters escaped).
std::string file_uri(const std::filesystem::path& path);

// This machine, process and login; `source_id` empty: "radveil@<host>".
AuditSource local_source(std::string source_id, std::string enterprise_site_id);

// One study disclosed to one recipient (or beginning to be).
struct StudyTransfer {
  std::string export_id;
  std::string patient_id, patient_issuer;
  std::string study_uid, pseudonymous_study_uid;
  std::vector<SopClassCount> sop_classes;  // may be empty when not known yet
  std::string recipient_id, recipient_name, recipient_address;
  std::string purpose_code, purpose_system, purpose_meaning;
  std::string destination;  // where the files were written, as a URI
};

AuditMessage begin_transferring(const AuditSource& source, const StudyTransfer& study, std::int64_t unix_millis);
AuditMessage instances_transferred(const AuditSource& source, const StudyTransfer& study, Outcome outcome,
                                   std::int64_t unix_millis);
AuditMessage export_message(const AuditSource& source, const StudyTransfer& study, std::int64_t unix_millis);

// `subject`: a URI for what failed the check; `description`: what failed, never a patient value.
AuditMessage security_alert(const AuditSource& source, const std::string& subject, const std::string& description,
                            Outcome outcome, std::int64_t unix_millis);

}  // namespace radveil::audit
