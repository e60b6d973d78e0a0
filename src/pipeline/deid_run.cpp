#include "pipeline/deid_run.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "pipeline/bounded_queue.h"
#include "pipeline/input_signature.h"
#include "pipeline/input_walker.h"
#include "pipeline/instance_pipeline.h"
#include "pipeline/job_journal.h"
#include "pipeline/quarantine_store.h"

namespace radveil::pipeline {
namespace {

namespace fs = std::filesystem;

bool contains(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end() && !o->empty(); ++o, ++i)
    if (i == inner.end() || *o != *i) return false;
  return true;
}

fs::path normal(const fs::path& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(p, ec);
  return ec ? fs::absolute(p).lexically_normal() : c;
}

// One run at a time per output: a second process would race the journal and the staging folder.
class OutputLock {
 public:
  explicit OutputLock(const fs::path& file) : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0)
      throw ConfigError("another radveil run is writing to this output folder");
  }
  ~OutputLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

 private:
  int fd_;
};

std::string options_text(const profile::OptionSet& options) {
  std::string s = "basic";
  for (auto o : options.list()) s += "," + std::string(profile::option_info(o).cli_name);
  return s;
}

constexpr std::size_t kQueueCapacity = 1024;

}  // namespace

fs::path state_dir(const fs::path& output) { return output / ".radveil"; }

void validate(const DeidRunConfig& config) {
  std::error_code ec;
  if (!fs::exists(config.input, ec)) throw ConfigError("input does not exist: " + config.input.string());
  const auto in = normal(config.input), out = normal(config.output), q = normal(config.quarantine);
  if (contains(in, out) || contains(out, in)) throw ConfigError("input and output must not contain one another");
  if (contains(out, q) || contains(q, out)) throw ConfigError("the quarantine must not be inside the output");
  if (fs::is_directory(in) && contains(in, q)) throw ConfigError("the quarantine must not be inside the input");
}

RunReport run_deid(const DeidRunConfig& config, const pseudonym::Pseudonymizer& pseudonymizer,
                   const Progress& progress) {
  validate(config);
  const auto started = std::chrono::steady_clock::now();
  const fs::path state = state_dir(config.output), staging = state / "tmp";
  fs::create_directories(state);
  OutputLock lock(state / "lock");
  fs::remove_all(staging);  // staged files of an interrupted run were never published
  fs::create_directories(staging);

  JobJournal journal(state / "state.sqlite");
  if (auto mismatch = journal.bind(pseudonymizer.token("job-key-fingerprint", "radveil", 26),
                                   options_text(config.options)))
    throw ConfigError(*mismatch);
  QuarantineStore quarantine(config.quarantine, pseudonymizer);
  quarantine.clear_staging();
  InstancePipeline pipeline(config.options, pseudonymizer, staging);

  RunFigures figures;
  figures.jobs = config.jobs > 0 ? config.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  BoundedQueue<fs::path> queue(kQueueCapacity);
  std::atomic<std::size_t> found{0}, done{0}, already_done{0};
  std::atomic<std::uintmax_t> bytes{0};
  std::atomic<bool> walk_complete{false};

  auto handle = [&](const fs::path& input) {
    const std::string input_id = pseudonymizer.token("input-path", normal(input).string(), 26);
    const StatResult stat = stat_input(input);
    if (!stat.signature) {
      const std::string reason(stat_failure_reason(stat.failure));
      journal.record(Outcome::skipped(reason, "the file could not be read"), input_id,
                     InputSignature{});
      return;
    }
    if (journal.done(input_id, *stat.signature)) {
      ++already_done;
      return;
    }
    bytes += stat.signature->size;
    Outcome outcome = pipeline.process(input, *stat.signature);
    if (outcome.kind == OutcomeKind::Deidentified)
      outcome = journal.publish(outcome.staged, config.output / outcome.output, outcome, input_id, *stat.signature);
    if (outcome.kind == OutcomeKind::Deidentified) return;  // published and recorded together
    if (outcome.kind == OutcomeKind::Quarantined)
      outcome.quarantine_id = quarantine.put(input, outcome.reason, outcome.detail);
    journal.record(outcome, input_id, *stat.signature);
  };
  auto worker = [&] {
    while (auto input = queue.pop()) {
      handle(*input);
      const std::size_t d = ++done;
      if (progress) progress(d, found.load(), walk_complete.load());
    }
  };
  std::vector<std::jthread> threads;
  for (int t = 0; t < figures.jobs; ++t) threads.emplace_back(worker);
  figures.walk_errors = for_each_input_file(config.input, [&](const fs::path& p) {
    ++found;
    queue.push(p);
  });
  walk_complete = true;
  queue.close();
  threads.clear();  // joins

  journal.flush();
  quarantine.finalize();
  figures.processed = done.load() - already_done.load();
  figures.already_done = already_done.load();
  figures.bytes_read = bytes.load();
  figures.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return RunReport(journal.totals(), figures);
}

}  // namespace radveil::pipeline
