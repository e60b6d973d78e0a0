#include "store/state_db.h"

#include "core/out_of_space.h"

namespace radveil::store {
namespace {

// Each entry migrates the schema from version i to i + 1. Append, never edit.
constexpr const char* kMigrations[] = {
    // 1: the job journal of `radveil deid`, keyed by a keyed hash of the input path (no PHI).
    R"(CREATE TABLE job (
         key TEXT PRIMARY KEY,
         value TEXT NOT NULL);
       CREATE TABLE instance (
         input_id TEXT PRIMARY KEY,
         input_size INTEGER NOT NULL,
         input_mtime_ns INTEGER NOT NULL,
         outcome TEXT NOT NULL,
         reason TEXT NOT NULL,
         detail TEXT NOT NULL,
         output_path TEXT NOT NULL,
         quarantine_id TEXT NOT NULL,
         recorded_at INTEGER NOT NULL);
       CREATE INDEX instance_output ON instance(output_path) WHERE output_path <> '';)",
    // 2: what Clean Pixel Data did to each instance, for the report.
    R"(ALTER TABLE instance ADD COLUMN pixels_cleaned INTEGER NOT NULL DEFAULT 0;
       ALTER TABLE instance ADD COLUMN pixel_frames INTEGER NOT NULL DEFAULT 0;
       ALTER TABLE instance ADD COLUMN pixel_frames_redacted INTEGER NOT NULL DEFAULT 0;
       ALTER TABLE instance ADD COLUMN pixel_boxes INTEGER NOT NULL DEFAULT 0;
       ALTER TABLE instance ADD COLUMN pixels_uncompressed INTEGER NOT NULL DEFAULT 0;)",
    // 3: the state folder's registry: recipients, consents (radveil's normalised form as JSON),
    // exports and the decision each made per patient and study date.
    R"(CREATE TABLE recipient (
         id TEXT PRIMARY KEY,
         name TEXT NOT NULL,
         address TEXT NOT NULL,
         contact TEXT NOT NULL,
         agreement TEXT NOT NULL,
         registered_at INTEGER NOT NULL);
       CREATE TABLE consent (
         id TEXT PRIMARY KEY,
         version TEXT NOT NULL,
         patient_value TEXT NOT NULL,
         patient_system TEXT NOT NULL,
         body TEXT NOT NULL,
         imported_at INTEGER NOT NULL);
       CREATE INDEX consent_patient ON consent(patient_value);
       CREATE TABLE export (
         id TEXT PRIMARY KEY,
         recipient TEXT NOT NULL REFERENCES recipient(id),
         purpose TEXT NOT NULL,
         started_at INTEGER NOT NULL,
         finished_at INTEGER,
         counts TEXT NOT NULL DEFAULT '{}');
       CREATE TABLE export_decision (
         export_id TEXT NOT NULL REFERENCES export(id),
         patient_value TEXT NOT NULL,
         patient_system TEXT NOT NULL,
         study_date TEXT NOT NULL,
         decision TEXT NOT NULL,
         reason TEXT NOT NULL,
         basis TEXT NOT NULL,
         decided_at INTEGER NOT NULL,
         PRIMARY KEY (export_id, patient_value, patient_system, study_date));)",
    // 4: the disclosure ledger: what each export wrote (until it is recorded), the entries with
    // the leaf each committed to (position = leaf index), and the checkpoints issued.
    R"(CREATE TABLE export_instance (
         export_id TEXT NOT NULL REFERENCES export(id),
         input_id TEXT NOT NULL,
         patient_value TEXT NOT NULL,
         patient_system TEXT NOT NULL,
         study_uid TEXT NOT NULL,
         pseudonymous_study_uid TEXT NOT NULL,
         sop_uid TEXT NOT NULL,
         modality TEXT NOT NULL,
         method_codes TEXT NOT NULL,
         output_path TEXT NOT NULL,
         recorded INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (export_id, input_id));
       CREATE TABLE ledger_entry (
         position INTEGER PRIMARY KEY,
         kind TEXT NOT NULL,
         body TEXT NOT NULL,
         leaf TEXT NOT NULL,
         appended_at INTEGER NOT NULL);
       CREATE TABLE ledger_checkpoint (
         size INTEGER NOT NULL,
         note TEXT NOT NULL,
         made_at INTEGER NOT NULL);)",
    // 5: each exported instance's SOP Class, for the audit messages of its study.
    R"(ALTER TABLE export_instance ADD COLUMN sop_class_uid TEXT NOT NULL DEFAULT '';)",
    // 6: the gateway's deliveries: an instance its destination acknowledged (radveil serve).
    R"(ALTER TABLE export_instance ADD COLUMN delivered INTEGER NOT NULL DEFAULT 0;)",
    // 7: consents by identity (source and resource identity, never an id alone), every version
    // kept with its state (applied, superseded, stale, withdrawn), each patient identifier indexed.
    R"(CREATE TABLE consent_record (
         id INTEGER PRIMARY KEY,
         identity TEXT NOT NULL,
         content TEXT NOT NULL,
         version TEXT NOT NULL,
         state TEXT NOT NULL,
         body TEXT NOT NULL,
         imported_at INTEGER NOT NULL,
         UNIQUE (identity, content));
       CREATE INDEX consent_record_identity ON consent_record(identity);
       CREATE TABLE consent_subject (
         record INTEGER NOT NULL REFERENCES consent_record(id),
         patient_value TEXT NOT NULL);
       CREATE INDEX consent_subject_value ON consent_subject(patient_value);
       INSERT INTO consent_record (identity, content, version, state, body, imported_at)
         SELECT 'legacy:' || id, version, version, 'applied', body, imported_at FROM consent;
       INSERT INTO consent_subject (record, patient_value)
         SELECT r.id, c.patient_value FROM consent c JOIN consent_record r ON r.identity = 'legacy:' || c.id;
       DROP TABLE consent;)",
};

}  // namespace

StateDb::StateDb(const std::filesystem::path& file) {
  if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open state database " + file.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  migrate();
}

StateDb::~StateDb() { sqlite3_close(db_); }

void StateDb::exec(std::string_view sql) {
  char* error = nullptr;
  if (const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error); rc != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    if ((rc & 0xff) == SQLITE_FULL) throw OutOfSpace("state database: " + message);
    throw StoreError("state database: " + message);
  }
}

Statement StateDb::prepare(std::string_view sql) { return Statement(db_, sql); }

void StateDb::migrate() {
  Statement version(db_, "PRAGMA user_version");
  version.step();
  const auto current = version.integer(0);
  version.reset();
  const auto target = static_cast<std::int64_t>(std::size(kMigrations));
  if (current > target) throw StoreError("the state database was written by a newer radveil");
  for (auto v = current; v < target; ++v) {
    exec("BEGIN IMMEDIATE");
    exec(kMigrations[v]);
    exec("PRAGMA user_version=" + std::to_string(v + 1));
    exec("COMMIT");
  }
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), stmt_(nullptr) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    throw StoreError(std::string("state database: ") + sqlite3_errmsg(db));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  if ((rc & 0xff) == SQLITE_FULL) throw OutOfSpace("state database: " + std::string(sqlite3_errmsg(db_)));
  throw StoreError(std::string("state database: ") + sqlite3_errmsg(db_));
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

}  // namespace radveil::store
