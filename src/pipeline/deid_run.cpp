#include "pipeline/deid_run.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "pipeline/input_walker.h"
#include "pipeline/instance_pipeline.h"
#include "pipeline/quarantine_store.h"

namespace radveil::pipeline {
namespace {

bool contains(const std::filesystem::path& outer, const std::filesystem::path& inner) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end() && !o->empty(); ++o, ++i)
    if (i == inner.end() || *o != *i) return false;
  return true;
}

std::filesystem::path normal(const std::filesystem::path& p) {
  std::error_code ec;
  auto c = std::filesystem::weakly_canonical(p, ec);
  return ec ? std::filesystem::absolute(p).lexically_normal() : c;
}

}  // namespace

void validate(const DeidRunConfig& config) {
  std::error_code ec;
  if (!std::filesystem::exists(config.input, ec)) throw ConfigError("input does not exist: " + config.input.string());
  const auto in = normal(config.input), out = normal(config.output), q = normal(config.quarantine);
  if (contains(in, out) || contains(out, in))
    throw ConfigError("input and output must not contain one another");
  if (contains(out, q) || contains(q, out)) throw ConfigError("the quarantine must not be inside the output");
  if (std::filesystem::is_directory(in) && contains(in, q))
    throw ConfigError("the quarantine must not be inside the input");
}

void run_deid(const DeidRunConfig& config, const pseudonym::Pseudonymizer& pseudonymizer, DeidRunResult& result,
              const Progress& progress) {
  validate(config);
  const auto started = std::chrono::steady_clock::now();
  InputListing listing = list_input_files(config.input);
  result.walk_errors = listing.errors;
  std::filesystem::create_directories(config.output);

  InstancePipeline pipeline(config.options, pseudonymizer, config.output);
  QuarantineStore quarantine(config.quarantine, pseudonymizer);
  const int jobs = config.jobs > 0 ? config.jobs : std::max(1u, std::thread::hardware_concurrency());
  result.jobs = jobs;

  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < listing.files.size(); i = next++) {
      Outcome outcome = pipeline.process(listing.files[i]);
      if (outcome.kind == OutcomeKind::Quarantined)
        outcome.quarantine_id = quarantine.put(listing.files[i], outcome.reason, outcome.detail);
      result.report.record(outcome);
      const std::size_t d = ++done;
      if (progress) progress(d, listing.files.size());
    }
  };
  std::vector<std::jthread> threads;
  for (int t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  threads.clear();  // joins
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace radveil::pipeline
