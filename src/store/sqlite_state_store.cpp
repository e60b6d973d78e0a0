// The embedded StateStore: one SQLite file, DIR/radveil.sqlite, in the schema of state_db.cpp.
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <mutex>

#include "store/state_db.h"
#include "store/state_store.h"

namespace radveil::store {
namespace {

namespace fs = std::filesystem;

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

class SqliteStateStore final : public StateStore {
 public:
  explicit SqliteStateStore(const fs::path& file) : db_(file) {}

  PutResult add_recipient(const consent::Recipient& r) override {
    std::lock_guard lock(mutex_);
    if (const auto existing = find_recipient(r.id)) {
      if (*existing == r) return PutResult::Unchanged;
      throw StoreError("recipient " + r.id + " is already registered with other details");
    }
    db_.prepare("INSERT INTO recipient (id, name, address, contact, agreement, registered_at) VALUES (?1,?2,?3,?4,?5,?6)")
        .bind(1, r.id).bind(2, r.name).bind(3, r.address).bind(4, r.contact).bind(5, r.agreement).bind(6, now())
        .run();
    return PutResult::Added;
  }

  std::optional<consent::Recipient> recipient(const std::string& id) override {
    std::lock_guard lock(mutex_);
    return find_recipient(id);
  }

  std::vector<consent::Recipient> recipients() override {
    std::lock_guard lock(mutex_);
    std::vector<consent::Recipient> out;
    auto q = db_.prepare("SELECT id, name, address, contact, agreement FROM recipient ORDER BY id");
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)});
    return out;
  }

  std::vector<ConsentOutcome> import_consents(const std::vector<consent::Consent>& consents,
                                              const std::vector<std::string>& withdrawn) override {
    std::lock_guard lock(mutex_);
    std::vector<ConsentOutcome> outcomes;
    db_.exec("BEGIN IMMEDIATE");
    try {
      // DELETEs first, as a FHIR transaction processes them: a new version imported with the
      // withdrawal of the old one stands.
      bool refused = false;
      for (const auto& identity : withdrawn) {
        auto update = db_.prepare("UPDATE consent_record SET state = 'withdrawn' WHERE identity = ?1 AND state = 'applied'");
        update.bind(1, identity).run();
        const bool any = sqlite3_changes(db_.handle()) > 0;
        outcomes.push_back({identity, identity, any ? PutResult::Withdrawn : PutResult::NotOnFile,
                            any ? "" : "no consent with this identity is on file"});
        refused = refused || !any;  // a withdrawal that misses may leave a permit standing: refuse
      }
      for (const auto& c : consents) {
        outcomes.push_back(put_one(c));
        refused = refused || outcomes.back().result == PutResult::Refused;
      }
      db_.exec(refused ? "ROLLBACK" : "COMMIT");
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
    return outcomes;
  }

  std::vector<consent::Consent> consents_for(const std::string& patient_value) override {
    std::lock_guard lock(mutex_);
    std::vector<consent::Consent> out;
    auto q = db_.prepare(
        "SELECT body FROM consent_record WHERE state = 'applied' AND id IN "
        "(SELECT record FROM consent_subject WHERE patient_value = ?1) ORDER BY identity, id");
    q.bind(1, patient_value);
    while (q.step()) out.push_back(consent::consent_from_json(nlohmann::json::parse(q.text(0))));
    return out;
  }

  void begin_export(const ExportRecord& e) override {
    std::lock_guard lock(mutex_);
    db_.prepare("INSERT OR IGNORE INTO export (id, recipient, purpose, started_at) VALUES (?1,?2,?3,?4)")
        .bind(1, e.id).bind(2, e.recipient).bind(3, e.purpose).bind(4, e.started_at)
        .run();
  }

  std::optional<ExportRecord> export_record(const std::string& id) override {
    std::lock_guard lock(mutex_);
    auto q = db_.prepare("SELECT recipient, purpose, started_at, finished_at, counts FROM export WHERE id = ?1");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    ExportRecord e{id, q.text(0), q.text(1), q.integer(2), std::nullopt, nlohmann::json::parse(q.text(4))};
    if (!q.text(3).empty()) e.finished_at = q.integer(3);
    return e;
  }

  void record_decision(const DecisionRecord& d) override {
    std::lock_guard lock(mutex_);
    db_.prepare("INSERT OR IGNORE INTO export_decision (export_id, patient_value, patient_system, study_date, decision, "
                "reason, basis, decided_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)")
        .bind(1, d.export_id).bind(2, d.patient.value).bind(3, d.patient.system).bind(4, d.study_date)
        .bind(5, d.decision).bind(6, d.reason).bind(7, d.basis.dump()).bind(8, now())
        .run();
  }

  void finish_export(const std::string& id, const nlohmann::json& counts) override {
    std::lock_guard lock(mutex_);
    db_.prepare("UPDATE export SET finished_at = ?2, counts = ?3 WHERE id = ?1")
        .bind(1, id).bind(2, now()).bind(3, counts.dump())
        .run();
  }

  void record_exported_instance(const ExportedInstance& i) override {
    std::lock_guard lock(mutex_);
    db_.prepare("INSERT OR REPLACE INTO export_instance (export_id, input_id, patient_value, patient_system, study_uid, "
                "pseudonymous_study_uid, sop_uid, modality, method_codes, output_path, sop_class_uid, recorded) "
                "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,0)")
        .bind(1, i.export_id).bind(2, i.input_id).bind(3, i.patient.value).bind(4, i.patient.system)
        .bind(5, i.study_uid).bind(6, i.pseudonymous_study_uid).bind(7, i.sop_uid).bind(8, i.modality)
        .bind(9, nlohmann::json(i.method_codes).dump()).bind(10, i.output_path).bind(11, i.sop_class_uid)
        .run();
  }

  std::vector<ExportedInstance> unrecorded_instances(const std::string& export_id) override {
    std::lock_guard lock(mutex_);
    std::vector<ExportedInstance> out;
    auto q = db_.prepare("SELECT input_id, patient_value, patient_system, study_uid, pseudonymous_study_uid, sop_uid, "
                         "modality, method_codes, output_path, sop_class_uid, delivered FROM export_instance WHERE export_id = ?1 AND recorded = 0 "
                         "ORDER BY output_path");
    q.bind(1, export_id);
    while (q.step())
      out.push_back({export_id, q.text(0), {q.text(2), q.text(1)}, q.text(3), q.text(4), q.text(5), q.text(6),
                     nlohmann::json::parse(q.text(7)).get<std::vector<std::string>>(), q.text(8), q.text(9), q.integer(10) != 0});
    return out;
  }

  void mark_delivered(const std::string& export_id, const std::string& input_id) override {
    std::lock_guard lock(mutex_);
    db_.prepare("UPDATE export_instance SET delivered = 1 WHERE export_id = ?1 AND input_id = ?2")
        .bind(1, export_id).bind(2, input_id)
        .run();
  }

  std::vector<std::uint64_t> append_to_ledger(const std::vector<PendingEntry>& entries, const LeafMaker& leaf_of,
                                              const std::string& export_id,
                                              const std::vector<std::string>& recorded_inputs) override {
    std::lock_guard lock(mutex_);
    std::vector<std::uint64_t> positions;
    db_.exec("BEGIN IMMEDIATE");
    try {
      auto count = db_.prepare("SELECT count(*) FROM ledger_entry");
      count.step();
      auto next = static_cast<std::uint64_t>(count.integer(0));
      count.reset();
      auto insert = db_.prepare("INSERT INTO ledger_entry (position, kind, body, leaf, appended_at) VALUES (?1,?2,?3,?4,?5)");
      for (const PendingEntry& e : entries) {
        insert.bind(1, static_cast<std::int64_t>(next)).bind(2, e.kind).bind(3, e.body.dump())
            .bind(4, leaf_of(next, e)).bind(5, now())
            .run();
        positions.push_back(next++);
      }
      auto mark = db_.prepare("UPDATE export_instance SET recorded = 1 WHERE export_id = ?1 AND input_id = ?2");
      for (const auto& input : recorded_inputs) mark.bind(1, export_id).bind(2, input).run();
      db_.exec("COMMIT");
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
    return positions;
  }

  std::vector<LedgerEntry> ledger_entries() override {
    std::lock_guard lock(mutex_);
    std::vector<LedgerEntry> out;
    auto q = db_.prepare("SELECT position, kind, body, leaf FROM ledger_entry ORDER BY position");
    while (q.step()) {
      nlohmann::json body = nlohmann::json::parse(q.text(2), nullptr, false);
      if (body.is_discarded()) body = nlohmann::json::object();  // an edited body: verify names it
      out.push_back({static_cast<std::uint64_t>(q.integer(0)), q.text(1), std::move(body), q.text(3)});
    }
    return out;
  }

  void save_checkpoint(const IssuedCheckpoint& c) override {
    std::lock_guard lock(mutex_);
    db_.prepare("INSERT INTO ledger_checkpoint (size, note, made_at) VALUES (?1,?2,?3)")
        .bind(1, static_cast<std::int64_t>(c.size)).bind(2, c.note).bind(3, c.made_at)
        .run();
  }

  std::vector<IssuedCheckpoint> checkpoints() override {
    std::lock_guard lock(mutex_);
    std::vector<IssuedCheckpoint> out;
    auto q = db_.prepare("SELECT size, note, made_at FROM ledger_checkpoint ORDER BY rowid");
    while (q.step()) out.push_back({static_cast<std::uint64_t>(q.integer(0)), q.text(1), q.integer(2)});
    return out;
  }

  std::vector<DecisionRecord> decisions(const std::string& export_id) override {
    std::lock_guard lock(mutex_);
    std::vector<DecisionRecord> out;
    auto q = db_.prepare("SELECT patient_value, patient_system, study_date, decision, reason, basis FROM export_decision "
                         "WHERE export_id = ?1 ORDER BY patient_value, patient_system, study_date");
    q.bind(1, export_id);
    while (q.step())
      out.push_back({export_id, {q.text(1), q.text(0)}, q.text(2), q.text(3), q.text(4), nlohmann::json::parse(q.text(5))});
    return out;
  }

 private:
  struct OnFile {
    std::int64_t row;
    consent::Consent consent;
  };

  // One consent, inside the import's transaction.
  ConsentOutcome put_one(const consent::Consent& c) {
    ConsentOutcome out{c.identity, c.id, PutResult::Added, ""};
    std::vector<OnFile> applied;
    bool known = false, older_than_one_on_file = false;
    {
      auto q = db_.prepare("SELECT id, content, state, body FROM consent_record WHERE identity = ?1");
      q.bind(1, c.identity);
      while (q.step()) {
        known = true;
        if (q.text(1) == c.content) {
          out.result = PutResult::Unchanged;
          return out;
        }
        OnFile f{q.integer(0), consent::consent_from_json(nlohmann::json::parse(q.text(3)))};
        // Older than any version on file, withdrawn or superseded ones included: not applied.
        if (consent::is_newer(c, f.consent) == std::optional<bool>(false)) older_than_one_on_file = true;
        if (q.text(2) == "applied") applied.push_back(std::move(f));
      }
    }
    for (const auto& f : applied)
      if (f.consent.patient.value != c.patient.value || f.consent.patient.system != c.patient.system) {
        out.result = PutResult::Refused;
        out.why = "a consent with this identity on file names another patient";
        return out;
      }
    std::string state = older_than_one_on_file ? "stale" : "applied";
    std::vector<std::int64_t> superseded;
    bool unordered = false;
    for (const auto& f : applied) {
      const auto newer = consent::is_newer(c, f.consent);
      if (!newer) unordered = true;
      else if (*newer) superseded.push_back(f.row);
    }
    if (state == "stale") {
      out.result = PutResult::Stale;
      superseded.clear();
    } else if (unordered) {
      out.result = PutResult::Kept;
      out.why = "its version cannot be ordered against the one on file (no meta.lastUpdated or numeric versionId): both apply";
    } else if (known) {
      out.result = PutResult::Updated;
    }
    for (const auto row : superseded)
      db_.prepare("UPDATE consent_record SET state = 'superseded' WHERE id = ?1").bind(1, row).run();
    db_.prepare("INSERT INTO consent_record (identity, content, version, state, body, imported_at) VALUES (?1,?2,?3,?4,?5,?6)")
        .bind(1, c.identity).bind(2, c.content).bind(3, c.version).bind(4, state).bind(5, consent::to_json(c).dump())
        .bind(6, now())
        .run();
    const std::int64_t row = sqlite3_last_insert_rowid(db_.handle());
    std::vector<std::string> values;
    for (const auto& id : consent::patient_identifiers(c))
      if (std::find(values.begin(), values.end(), id.value) == values.end()) values.push_back(id.value);
    for (const auto& v : values)
      db_.prepare("INSERT INTO consent_subject (record, patient_value) VALUES (?1, ?2)").bind(1, row).bind(2, v).run();
    return out;
  }

  std::optional<consent::Recipient> find_recipient(const std::string& id) {
    auto q = db_.prepare("SELECT id, name, address, contact, agreement FROM recipient WHERE id = ?1");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return consent::Recipient{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)};
  }

  std::mutex mutex_;
  StateDb db_;
};

}  // namespace

fs::path default_state_dir() {
  if (const char* dir = std::getenv("RADVEIL_STATE"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) return fs::path(xdg) / "radveil";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".local" / "state" / "radveil";
  throw StoreError("no state folder: give --state DIR or set RADVEIL_STATE");
}

std::unique_ptr<StateStore> open_state_store(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw StoreError("cannot create the state folder " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);  // consents and decisions name patients: the owner's alone
  return std::make_unique<SqliteStateStore>(dir / "radveil.sqlite");
}

}  // namespace radveil::store

namespace radveil::store {

std::string_view put_result_name(PutResult r) {
  switch (r) {
    case PutResult::Added: return "imported";
    case PutResult::Updated: return "updated (newer version)";
    case PutResult::Unchanged: return "unchanged";
    case PutResult::Stale: return "recorded, not applied (older than the version on file)";
    case PutResult::Kept: return "kept beside the version on file";
    case PutResult::Refused: return "refused";
    case PutResult::Withdrawn: return "withdrawn";
    case PutResult::NotOnFile: return "not on file (nothing to withdraw)";
  }
  return "unknown";
}

}  // namespace radveil::store
