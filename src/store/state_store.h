#pragma once
// radveil's state beyond one job: recipients, the consent registry, and what each export decided
// for each patient. An interface, so that a PostgreSQL backend for several nodes can implement it;
// the embedded default is one SQLite file in the state folder (open_state_store).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "consent/consent.h"
#include "consent/recipient.h"
#include "store/ledger_entries.h"

namespace radveil::store {

enum class PutResult {
  Added,
  Updated,    // a newer version of a consent on file: it replaces the older
  Unchanged,  // the same content again
  Stale,      // an older version than the one on file: recorded, not applied
  Kept,       // a version that cannot be ordered against the one on file: both apply
  Refused,    // the identity on file names another patient
  Withdrawn,  // a DELETE: the consent no longer applies
  NotOnFile,  // a DELETE of a consent radveil does not hold: refused (it may have meant one on file)
};
std::string_view put_result_name(PutResult r);

// What an import did with one consent or withdrawal.
struct ConsentOutcome {
  std::string identity, label;
  PutResult result = PutResult::Unchanged;
  std::string why;  // for Refused and Kept
};

struct ExportRecord {
  std::string id, recipient, purpose;
  std::int64_t started_at = 0;
  std::optional<std::int64_t> finished_at;
  nlohmann::json counts = nlohmann::json::object();
};

// What an export decided for one patient's studies of one date (inside the hospital: the state
// holds Patient IDs, as the consent registry does).
struct DecisionRecord {
  std::string export_id;
  consent::Identifier patient;
  std::string study_date;  // DICOM DA, empty when unknown
  std::string decision, reason;
  nlohmann::json basis;    // the verdict's explanation (consent ids, provisions, policy defaults)
};

// One instance an export wrote, as the ledger needs it (inside the hospital: original values).
struct ExportedInstance {
  std::string export_id, input_id;
  consent::Identifier patient;
  std::string study_uid, pseudonymous_study_uid, sop_uid, modality;
  std::vector<std::string> method_codes;
  std::string output_path;  // relative to the export's OUT
  std::string sop_class_uid;
  bool delivered = false;   // the gateway's destination acknowledged it
};

// A checkpoint the ledger issued (its signed note), kept so that `ledger verify` checks the log
// still extends every one of them.
struct IssuedCheckpoint {
  std::uint64_t size = 0;
  std::string note;
  std::int64_t made_at = 0;
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // Unchanged when registered with the same details; throws StoreError when the ID is taken by
  // different details (a recipient's identity does not silently change).
  virtual PutResult add_recipient(const consent::Recipient& r) = 0;
  virtual std::optional<consent::Recipient> recipient(const std::string& id) = 0;
  virtual std::vector<consent::Recipient> recipients() = 0;

  // By identity (never by id alone): Added for a new identity, Unchanged for content on file,
  // Updated for a newer version (meta.lastUpdated, else a numeric meta.versionId), Stale for an
  // older one (recorded, not applied), Kept when the versions cannot be ordered (both apply: the
  // patient's latest dateTime decides, a deny wins a tie), Refused when the identity on file names
  // another patient. The withdrawals come first (as a FHIR transaction orders DELETEs). All in
  // one transaction: when any consent is refused or a withdrawal names nothing on file, nothing
  // is written, and the registry is as it was.
  virtual std::vector<ConsentOutcome> import_consents(const std::vector<consent::Consent>& consents,
                                                      const std::vector<std::string>& withdrawn_identities) = 0;
  PutResult put_consent(const consent::Consent& c) { return import_consents({c}, {}).at(0).result; }
  // Every consent in force on file whose patient has an identifier with this value (any issuer).
  virtual std::vector<consent::Consent> consents_for(const std::string& patient_value) = 0;

  virtual void begin_export(const ExportRecord& e) = 0;  // an export resumed keeps its first start
  virtual std::optional<ExportRecord> export_record(const std::string& id) = 0;
  // Once per (export, patient, study date): the first decision stands.
  virtual void record_decision(const DecisionRecord& d) = 0;
  virtual void finish_export(const std::string& id, const nlohmann::json& counts) = 0;
  virtual std::vector<DecisionRecord> decisions(const std::string& export_id) = 0;

  // Written before the instance is published (so a crash cannot lose it); the same input again
  // replaces its row. Only rows whose output the job's journal has published become disclosures.
  virtual void record_exported_instance(const ExportedInstance& i) = 0;
  virtual std::vector<ExportedInstance> unrecorded_instances(const std::string& export_id) = 0;
  virtual void mark_delivered(const std::string& export_id, const std::string& input_id) = 0;
  // Appends the entries to the ledger and marks those instances recorded, in one transaction.
  // Returns the positions given.
  virtual std::vector<std::uint64_t> append_to_ledger(const std::vector<PendingEntry>& entries, const LeafMaker& leaf_of,
                                                      const std::string& export_id,
                                                      const std::vector<std::string>& recorded_inputs) = 0;
  virtual std::vector<LedgerEntry> ledger_entries() = 0;
  virtual void save_checkpoint(const IssuedCheckpoint& c) = 0;
  virtual std::vector<IssuedCheckpoint> checkpoints() = 0;
};

// RADVEIL_STATE, else $XDG_STATE_HOME/radveil, else ~/.local/state/radveil.
std::filesystem::path default_state_dir();

// Creates the folder (mode 0700) and DIR/radveil.sqlite as needed.
std::unique_ptr<StateStore> open_state_store(const std::filesystem::path& dir);

}  // namespace radveil::store
