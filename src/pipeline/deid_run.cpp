#include "pipeline/deid_run.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <mutex>
#include <chrono>
#include <thread>
#include <vector>

#include "core/out_of_space.h"
#include "core/quarantine_error.h"
#include "core/json_file.h"
#include "core/report_text.h"
#include "dicom/instance_file.h"
#include "face/series_defacer.h"
#include "pipeline/bounded_queue.h"
#include "pipeline/face_stage.h"
#include "pipeline/input_signature.h"
#include "core/input_walker.h"
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

std::string options_text(const DeidRunConfig& config) {
  std::string s = "basic";
  for (auto o : config.options.list()) s += "," + std::string(profile::option_info(o).cli_name);
  if (config.clean_recognizable_visual_features) s += ",clean-recognizable-visual-features";
  if (config.pixels.enabled) {
    s += ",clean-pixel-data";
    s += config.pixels.scan == PixelScan::All ? ",pixel-scan=all" : ",pixel-scan=suspected";
    s += config.pixels.scope == pixels::TextScope::All ? ",pixel-text=all" : ",pixel-text=phi-only";
  }
  if (config.gate) s += ",export-to=" + config.gate->request().recipient + ",purpose=" + config.gate->request().purpose;
  return s;
}

// Tesseract is loaded only when pixels are to be cleaned; a missing language pack fails the run
// before any file is touched.
std::unique_ptr<pixels::TextReader> text_reader_for(const DeidRunConfig& config) {
  return config.pixels.enabled ? std::make_unique<pixels::TextReader>() : nullptr;
}

constexpr std::size_t kQueueCapacity = 1024;

}  // namespace

fs::path state_dir(const fs::path& output) { return output / ".radveil"; }

void validate(const DeidRunConfig& config) {
  std::error_code ec;
  if (!fs::exists(config.input, ec)) throw ConfigError("the input does not exist");  // its path may name a patient: not echoed
  const auto in = normal(config.input), out = normal(config.output), q = normal(config.quarantine);
  if (contains(in, out) || contains(out, in)) throw ConfigError("input and output must not contain one another");
  if (contains(out, q) || contains(q, out)) throw ConfigError("the quarantine must not be inside the output");
  if (fs::is_directory(in) && contains(in, q)) throw ConfigError("the quarantine must not be inside the input");
  if (!config.pixels.review_dir.empty()) {
    const auto r = normal(config.pixels.review_dir);
    if (contains(out, r) || contains(r, out)) throw ConfigError("the review folder must not be inside the output");
    if (fs::is_directory(in) && contains(in, r)) throw ConfigError("the review folder must not be inside the input");
  }
}

namespace {

// One run of a job: the per-file path, the per-series face stage, and one way to finish an input.
class DeidJob {
 public:
  DeidJob(const DeidRunConfig& config, const pseudonym::Pseudonymizer& pseudonymizer, const fs::path& state)
      : config_(config),
        pseudonymizer_(pseudonymizer),
        journal_(state / "state.sqlite"),
        quarantine_(config.quarantine, pseudonymizer),
        text_reader_(text_reader_for(config)),
        pipeline_(config.options, pseudonymizer, state / "tmp", PixelStage(config.pixels, text_reader_.get()),
                  config.gate) {
    if (auto mismatch = journal_.bind(pseudonymizer.token("job-key-fingerprint", "radveil", 26), options_text(config)))
      throw ConfigError(*mismatch);
    quarantine_.clear_staging();
    if (config.clean_recognizable_visual_features) detectors_ = std::make_unique<face::FaceDetectors>();
    std::error_code ec;
    if (fs::is_directory(config.input, ec)) {
      const fs::path root = fs::weakly_canonical(config.input, ec);
      if (!ec) input_root_ = root;
    }
  }

  RunReport run(const Progress& progress) {
    const auto started = std::chrono::steady_clock::now();
    RunFigures figures;
    figures.jobs = config_.jobs > 0 ? config_.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    BoundedQueue<fs::path> queue(kQueueCapacity);
    std::atomic<bool> walk_complete{false};
    // A failure that is not one instance's (a full disk, the journal or the quarantine cannot be
    // written) stops the run: the remaining inputs are let go unrecorded, so the next run does
    // them, and the failure is thrown once every worker has stopped. No exception leaves a worker.
    std::mutex failure_mutex;
    std::exception_ptr failure;
    std::atomic<bool> failed{false};
    auto worker = [&] {
      while (auto input = queue.pop()) {
        if (failed) continue;  // drains the queue, so the walk never waits on a full one
        try {
          handle_file(*input);
        } catch (...) {
          std::lock_guard lock(failure_mutex);
          if (!failure) failure = std::current_exception();
          failed = true;
          continue;
        }
        const std::size_t done = ++done_;  // counted with or without a progress callback
        if (progress) progress(done, found_.load(), walk_complete.load());
      }
    };
    {
      std::vector<std::jthread> threads;
      for (int t = 0; t < figures.jobs; ++t) threads.emplace_back(worker);
      figures.walk_errors = for_each_input_file(config_.input, [&](const fs::path& p) {
        ++found_;
        if (config_.clean_recognizable_visual_features) {
          if (auto series = face_series_of(p)) {
            series_.add(*series, p);
            return;
          }
        }
        queue.push(p);
      });
      walk_complete = true;
      queue.close();
    }  // joins
    if (failure) {
      try {
        journal_.flush();  // what was finished stays finished
      } catch (...) {
      }
      std::rethrow_exception(failure);
    }
    for (auto& files : series_.take()) {
      handle_series(files);
      done_ += files.size();
      if (progress) progress(done_.load(), found_.load(), true);
    }
    journal_.flush();
    quarantine_.finalize();
    figures.processed = done_.load() - already_done_.load();
    figures.already_done = already_done_.load();
    figures.bytes_read = bytes_.load();
    figures.face_removal = config_.clean_recognizable_visual_features;
    figures.series_defaced = series_defaced_;
    figures.series_without_face = series_without_face_;
    figures.series_refused = series_refused_;
    figures.instances_written_uncompressed = written_uncompressed_;
    if (config_.gate) {
      figures.export_id = config_.gate->request().export_id;
      figures.recipient = config_.gate->request().recipient;
      figures.purpose = config_.gate->request().purpose;
    }
    figures.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return RunReport(journal_.totals(), figures);
  }

 private:
  struct Input {
    fs::path path;
    std::string id;
    StatResult stat;
  };

  Input look_at(const fs::path& path) {
    return Input{path, pseudonymizer_.token("input-path", normal_input(path).string(), 26), stat_input(path)};
  }

  // normal(path) (the input's id is made from it), without resolving every folder of the path
  // again for every file: the walker descends real folders only, so below the input folder only
  // the last component can be a link, and the input folder itself is resolved once.
  fs::path normal_input(const fs::path& path) {
    if (input_root_.empty()) return normal(path);
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(path, ec)) || ec) return normal(path);
    const fs::path relative = path.lexically_relative(config_.input);
    if (relative.empty()) return normal(path);
    for (const auto& part : relative)
      if (part.empty() || part == "." || part == "..") return normal(path);
    return input_root_ / relative;
  }

  // Records what cannot be read at all; true when the input needs no more work (or cannot get it).
  bool settled(const Input& in) {
    if (!in.stat.signature) {
      journal_.record(Outcome::skipped(std::string(stat_failure_reason(in.stat.failure)), "the file could not be read"),
                      in.id, InputSignature{});
      return true;
    }
    if (journal_.done(in.id, *in.stat.signature)) {
      ++already_done_;
      return true;
    }
    return false;
  }

  void handle_file(const fs::path& path) {
    const Input in = look_at(path);
    if (settled(in)) return;
    bytes_ += in.stat.signature->size;
    finish(in, pipeline_.process(in.path, *in.stat.signature));
  }

  // Publishes a staged output, or quarantines, and records the outcome.
  void finish(const Input& in, Outcome outcome) {
    if (outcome.kind == OutcomeKind::Deidentified && config_.before_publish) {
      try {
        config_.before_publish(in.id, outcome);
      } catch (const OutOfSpace&) {
        std::error_code ec;
        std::filesystem::remove(outcome.staged, ec);
        throw;  // the instance is fine; it is done again when there is room
      } catch (const std::exception&) {
        std::error_code ec;
        std::filesystem::remove(outcome.staged, ec);
        outcome = Outcome::quarantined("record-failed", "the disclosure could not be recorded in the state database");
      }
    }
    if (outcome.kind == OutcomeKind::Deidentified)
      outcome = journal_.publish(outcome.staged, config_.output / outcome.output, outcome, in.id, *in.stat.signature);
    if (outcome.kind == OutcomeKind::Deidentified) return;  // published and recorded together
    if (outcome.kind == OutcomeKind::Quarantined)
      outcome.quarantine_id = quarantine_.put(in.path, outcome.reason, outcome.detail);
    journal_.record(outcome, in.id, *in.stat.signature);
  }

  void handle_series(const std::vector<fs::path>& files) {
    std::vector<Input> inputs;
    for (const auto& f : files) inputs.push_back(look_at(f));
    std::vector<Input> pending;
    for (auto& in : inputs)
      if (!settled(in)) pending.push_back(in);
    if (pending.empty()) return;  // an earlier run finished the whole series
    // The whole series is needed for its volume, including what an earlier run finished.
    std::vector<dicom::LoadedInstance> loaded;
    std::vector<DcmDataset*> datasets;
    for (const auto& in : inputs) {
      bytes_ += in.stat.signature ? in.stat.signature->size : 0;
      try {
        loaded.push_back(dicom::load_complete(in.path));
      } catch (const QuarantineError& e) {
        for (const auto& p : pending)
          finish(p, Outcome::quarantined("series-unreadable", "an instance of the series cannot be read: " + e.detail()));
        return;
      }
      datasets.push_back(loaded.back().dataset.get());
    }
    if (withheld_whole(loaded, pending)) return;
    face::SeriesFaceReport report;
    try {
      report = face::deface_series(datasets, *detectors_, {.remove_ears = config_.remove_ears});
    } catch (const std::exception& e) {  // fail closed: the series is not released
      ++series_refused_;
      for (const auto& p : pending)
        finish(p, Outcome::quarantined("face-stage-error", report_text::describe_unexpected(e)));
      return;
    }
    if (!config_.face_report_dir.empty() && report.outcome != face::SeriesFaceOutcome::NoFace) write_face_report(report, inputs);
    switch (report.outcome) {
      case face::SeriesFaceOutcome::Defaced: ++series_defaced_; break;
      case face::SeriesFaceOutcome::NoFace: ++series_without_face_; break;
      case face::SeriesFaceOutcome::Refused: ++series_refused_; break;
    }
    if (report.outcome == face::SeriesFaceOutcome::Refused) {
      for (const auto& p : pending) finish(p, Outcome::quarantined(report.reason, report.detail));
      return;
    }
    std::vector<std::pair<std::string, std::string>> codes;
    if (report.outcome == face::SeriesFaceOutcome::Defaced)
      codes.emplace_back("113102", "Clean Recognizable Visual Features Option");
    for (std::size_t n = 0; n < inputs.size(); ++n) {
      const Input& in = inputs[n];
      if (!in.stat.signature || journal_.done(in.id, *in.stat.signature)) continue;
      if (report.decompressed && report.outcome == face::SeriesFaceOutcome::Defaced) {
        loaded[n].transfer_syntax = EXS_LittleEndianExplicit;  // pixels rewritten: uncompressed
        ++written_uncompressed_;
      }
      finish(in, pipeline_.process_loaded(in.path, *in.stat.signature, std::move(loaded[n]), codes));
    }
  }

  // Decide comes before de-identify: a series whose every instance the export withholds is not
  // defaced for nothing. (A mixed series goes on; each instance is decided again, from the cache.)
  bool withheld_whole(std::vector<dicom::LoadedInstance>& loaded, const std::vector<Input>& pending) {
    if (!config_.gate) return false;
    std::optional<std::string> reason;
    for (auto& instance : loaded) {
      std::optional<std::string> r;
      try {
        r = config_.gate->withheld(*instance.dataset);
      } catch (const QuarantineError&) {
        return false;  // the instance pipeline quarantines it with its reason
      }
      if (!r) return false;
      reason = r;
    }
    for (const auto& p : pending) finish(p, Outcome::withheld(*reason));
    return true;
  }

  // Renders and JSON, named by the series' keyed pseudonym (never an original UID).
  void write_face_report(const face::SeriesFaceReport& report, const std::vector<Input>& inputs) {
    const std::string name = "S" + pseudonymizer_.token("face-report-series", inputs.front().id, 20);
    const fs::path dir = config_.face_report_dir / name;
    report.write_renders(dir);
    write_json_file(dir / "face.json", report.to_json());
  }

  const DeidRunConfig& config_;
  const pseudonym::Pseudonymizer& pseudonymizer_;
  JobJournal journal_;
  QuarantineStore quarantine_;
  std::unique_ptr<pixels::TextReader> text_reader_;
  InstancePipeline pipeline_;
  std::unique_ptr<face::FaceDetectors> detectors_;
  SeriesGroups series_;
  fs::path input_root_;  // the input folder, resolved (empty: resolve every path in full)
  std::atomic<std::size_t> found_{0}, done_{0}, already_done_{0};
  std::atomic<std::uintmax_t> bytes_{0};
  std::size_t series_defaced_ = 0, series_without_face_ = 0, series_refused_ = 0, written_uncompressed_ = 0;
};

}  // namespace

RunReport run_deid(const DeidRunConfig& config, const pseudonym::Pseudonymizer& pseudonymizer,
                   const Progress& progress) {
  validate(config);
  const fs::path state = state_dir(config.output), staging = state / "tmp";
  fs::create_directories(state);
  OutputLock lock(state / "lock");
  fs::remove_all(staging);  // staged files of an interrupted run were never published
  fs::create_directories(staging);
  DeidJob job(config, pseudonymizer, state);
  return job.run(progress);
}

}  // namespace radveil::pipeline
