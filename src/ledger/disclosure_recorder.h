#pragma once
// The "record" stage of an export: what the export published becomes disclosure records, one per
// patient and study, appended to the ledger in one transaction. Each record names the time, the
// export, recipient and purpose, the patient (ID and issuer), the original and pseudonymous Study
// Instance UIDs, modalities, instance count, bytes, de-identification method codes, a SHA-256 over
// the written files and each written instance's pseudonymous SOP Instance UID; the leaf shows the
// pseudonymous part and a keyed digest of the rest (ledger_entry.h).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ledger/ledger_keys.h"
#include "store/state_store.h"

namespace radveil::ledger {

// One new disclosure record, as the audit messages of its study need it (inside the hospital).
struct RecordedStudy {
  std::uint64_t position = 0;
  consent::Identifier patient;
  std::string study_uid, pseudonymous_study_uid;
  std::map<std::string, std::uint64_t> sop_classes;  // SOP Class UID -> instances
};

struct RecordedDisclosures {
  std::vector<std::uint64_t> positions;  // ledger positions of the new records
  std::size_t instances = 0;
  std::vector<RecordedStudy> studies;    // in position order
};

// `published`: input id -> output path (relative to `output`) of every input the job's journal
// has published. Instances recorded before (by an earlier run of the export) are not recorded again.
RecordedDisclosures record_disclosures(store::StateStore& store, const LedgerKeys& keys, const store::ExportRecord& export_,
                                       const std::filesystem::path& output,
                                       const std::map<std::string, std::string>& published, std::int64_t now);

}  // namespace radveil::ledger
