#include "pipeline/job_journal.h"

#include <algorithm>
#include <array>
#include <fstream>

#include "core/quarantine_error.h"
#include "dicom/instance_file.h"

namespace radveil::pipeline {
namespace {

constexpr std::size_t kCommitEvery = 32;  // WAL commits do not fsync: cheap
constexpr auto kCommitInterval = std::chrono::milliseconds(50);

OutcomeKind kind_from(const std::string& s) {
  if (s == "deidentified") return OutcomeKind::Deidentified;
  if (s == "quarantined") return OutcomeKind::Quarantined;
  if (s == "withheld") return OutcomeKind::Withheld;
  return OutcomeKind::Skipped;
}

bool same_bytes(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  if (std::filesystem::file_size(a, ec) != std::filesystem::file_size(b, ec) || ec) return false;
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  std::array<char, 65536> ba{}, bb{};
  while (fa && fb) {
    fa.read(ba.data(), ba.size());
    fb.read(bb.data(), bb.size());
    if (fa.gcount() != fb.gcount() || !std::equal(ba.begin(), ba.begin() + fa.gcount(), bb.begin())) return false;
  }
  return true;
}

}  // namespace

JobJournal::JobJournal(const std::filesystem::path& state_file)
    : db_(state_file),
      insert_(db_.prepare("INSERT OR REPLACE INTO instance (input_id, input_size, input_mtime_ns, outcome, reason, "
                          "detail, output_path, quarantine_id, recorded_at, pixels_cleaned, pixel_frames, "
                          "pixel_frames_redacted, pixel_boxes, pixels_uncompressed) "
                          "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)")),
      lookup_(db_.prepare("SELECT input_size, input_mtime_ns FROM instance WHERE input_id = ?1")),
      by_output_(db_.prepare("SELECT input_id FROM instance WHERE output_path = ?1 AND input_id <> ?2 LIMIT 1")),
      last_commit_(std::chrono::steady_clock::now()) {
  db_.exec("BEGIN");
}

JobJournal::~JobJournal() {
  try {
    flush();
  } catch (...) {
    // Destructors must not throw; what was not committed is redone by the next run.
  }
}

std::optional<std::string> JobJournal::bind(const std::string& key_fingerprint, const std::string& options) {
  std::lock_guard lock(mutex_);
  auto get = db_.prepare("SELECT value FROM job WHERE key = ?1");
  auto put = db_.prepare("INSERT INTO job (key, value) VALUES (?1, ?2)");
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"key_fingerprint", key_fingerprint},
                                    {"options", options}}) {
    get.bind(1, name);
    if (get.step()) {
      const std::string existing = get.text(0);
      get.reset();
      if (existing != value)
        return name == "options" ? "this output was started with other options (" + existing +
                                       "); use the same options or a new output folder"
                                 : std::string("this output was started with another key; use that key or a new output folder");
    } else {
      get.reset();
      put.bind(1, name).bind(2, value).run();
    }
  }
  db_.exec("COMMIT");
  db_.exec("BEGIN");
  return std::nullopt;
}

bool JobJournal::done(const std::string& input_id, const InputSignature& signature) {
  std::lock_guard lock(mutex_);
  lookup_.bind(1, input_id);
  bool found = false;
  if (lookup_.step())
    found = static_cast<std::uint64_t>(lookup_.integer(0)) == signature.size && lookup_.integer(1) == signature.mtime_ns;
  lookup_.reset();
  return found;
}

Outcome JobJournal::publish(const std::filesystem::path& staged, const std::filesystem::path& target, Outcome outcome,
                            const std::string& input_id, const InputSignature& signature) {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  try {
    if (dicom::publish_no_replace(staged, target) == dicom::WriteResult::Written) {
      insert_locked(outcome, input_id, signature);
      return outcome;
    }
  } catch (const QuarantineError& e) {
    std::filesystem::remove(staged, ec);
    return Outcome::quarantined(e.reason(), e.detail());
  }
  by_output_.bind(1, outcome.output.string()).bind(2, input_id);
  const bool claimed = by_output_.step();
  by_output_.reset();
  const bool identical = same_bytes(staged, target);
  std::filesystem::remove(staged, ec);
  if (!claimed && identical) {  // our own output, written before an interruption
    insert_locked(outcome, input_id, signature);
    return outcome;
  }
  return Outcome::quarantined("duplicate-sop-instance",
                 "an instance with the same SOP Instance UID is already in the output");
}

void JobJournal::record(const Outcome& outcome, const std::string& input_id, const InputSignature& signature) {
  std::lock_guard lock(mutex_);
  insert_locked(outcome, input_id, signature);
}

void JobJournal::insert_locked(const Outcome& outcome, const std::string& input_id, const InputSignature& signature) {
  insert_.bind(1, input_id)
      .bind(2, static_cast<std::int64_t>(signature.size))
      .bind(3, signature.mtime_ns)
      .bind(4, outcome_name(outcome.kind))
      .bind(5, outcome.reason)
      .bind(6, outcome.detail)
      .bind(7, outcome.output.string())
      .bind(8, outcome.quarantine_id)
      .bind(9, static_cast<std::int64_t>(std::chrono::system_clock::now().time_since_epoch() / std::chrono::seconds(1)))
      .bind(10, static_cast<std::int64_t>(outcome.pixels.cleaned))
      .bind(11, static_cast<std::int64_t>(outcome.pixels.frames))
      .bind(12, static_cast<std::int64_t>(outcome.pixels.frames_redacted))
      .bind(13, static_cast<std::int64_t>(outcome.pixels.boxes))
      .bind(14, static_cast<std::int64_t>(outcome.pixels.written_uncompressed))
      .run();
  ++pending_;
  maybe_commit_locked();
}

void JobJournal::maybe_commit_locked() {
  const auto now = std::chrono::steady_clock::now();
  if (pending_ < kCommitEvery && now - last_commit_ < kCommitInterval) return;
  db_.exec("COMMIT");
  db_.exec("BEGIN");
  pending_ = 0;
  last_commit_ = now;
}

void JobJournal::flush() {
  std::lock_guard lock(mutex_);
  db_.exec("COMMIT");
  db_.exec("BEGIN");
  pending_ = 0;
  last_commit_ = std::chrono::steady_clock::now();
}

JournalTotals JobJournal::totals() {
  std::lock_guard lock(mutex_);
  JournalTotals t;
  auto counts = db_.prepare("SELECT outcome, reason, COUNT(*) FROM instance GROUP BY outcome, reason");
  while (counts.step()) {
    const auto kind = kind_from(counts.text(0));
    const auto n = static_cast<std::size_t>(counts.integer(2));
    t.counts[kind] += n;
    if (!counts.text(1).empty()) t.reasons[kind][counts.text(1)] += n;
  }
  auto patients = db_.prepare(
      "SELECT COUNT(DISTINCT substr(output_path, 1, instr(output_path, '/') - 1)) FROM instance "
      "WHERE outcome = 'deidentified'");
  if (patients.step()) t.patients = static_cast<std::size_t>(patients.integer(0));
  auto quarantined = db_.prepare(
      "SELECT quarantine_id, reason, detail FROM instance WHERE outcome = 'quarantined' ORDER BY quarantine_id");
  while (quarantined.step()) t.quarantined.push_back({quarantined.text(0), quarantined.text(1), quarantined.text(2)});
  auto cleaned = db_.prepare(
      "SELECT output_path, pixel_frames, pixel_frames_redacted, pixel_boxes, pixels_uncompressed FROM instance "
      "WHERE outcome = 'deidentified' AND pixels_cleaned = 1 ORDER BY output_path");
  while (cleaned.step()) {
    PixelFigures f;
    f.cleaned = true;
    f.frames = static_cast<std::size_t>(cleaned.integer(1));
    f.frames_redacted = static_cast<std::size_t>(cleaned.integer(2));
    f.boxes = static_cast<std::size_t>(cleaned.integer(3));
    f.written_uncompressed = cleaned.integer(4) != 0;
    t.pixels_cleaned.push_back({cleaned.text(0), f});
  }
  return t;
}

std::map<std::string, std::string> published_outputs(const std::filesystem::path& state_file) {
  store::StateDb db(state_file);
  std::map<std::string, std::string> out;
  auto q = db.prepare("SELECT input_id, output_path FROM instance WHERE outcome = 'deidentified'");
  while (q.step()) out[q.text(0)] = q.text(1);
  return out;
}

}  // namespace radveil::pipeline
