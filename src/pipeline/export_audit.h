#pragma once
// The audit messages of one export (audit/audit_events.h): 110102 Begin Transferring when the
// first instance of a study is about to be published, then, once the study's disclosure is
// recorded, 110104 DICOM Instances Transferred and 110106 Export (with the purpose and the
// recipient). Studies that began but were never recorded (the export stopped) end with a 110104
// whose outcome is a serious failure. Messages are forwarded to the collector when the export ends.
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "audit/audit_trail.h"
#include "consent/policy.h"
#include "consent/recipient.h"
#include "ledger/disclosure_recorder.h"
#include "pipeline/outcome.h"

namespace radveil::pipeline {

class ExportAudit {
 public:
  ExportAudit(audit::AuditTrail& trail, const std::string& export_id, const consent::Recipient& recipient,
              const std::string& purpose, const std::filesystem::path& output);

  void began(const DisclosedInstance& instance);             // thread-safe
  void recorded(const ledger::RecordedDisclosures& records);  // 110104 and 110106 per study
  void stopped();                                             // the export failed: close what began
  // Every study that began and is not recorded ends with a failed 110104 saying why.
  void close_open(const std::string& description);
  audit::ForwardResult forward() { return trail_.forward(); }

 private:
  using StudyKey = std::tuple<std::string, std::string, std::string>;  // patient, issuer, study
  audit::StudyTransfer transfer(const consent::Identifier& patient, const std::string& study_uid,
                                const std::string& pseudonymous_study_uid) const;

  audit::AuditTrail& trail_;
  audit::StudyTransfer common_;
  std::mutex mutex_;
  std::map<StudyKey, std::string> open_;  // began, not yet recorded -> pseudonymous study
};

}  // namespace radveil::pipeline
