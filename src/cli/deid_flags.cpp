#include "cli/deid_flags.h"

#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "core/json_file.h"
#include "profile/deid_options.h"
#include "pseudonym/pseudonymizer.h"

namespace radveil::cli {

pipeline::DeidRunConfig deid_config(const DeidArgs& args) {
  pipeline::DeidRunConfig config;
  config.input = args.input;
  config.output = args.output;
  config.quarantine = args.quarantine.empty() ? std::filesystem::path(args.output).lexically_normal().string() + "-quarantine"
                                              : args.quarantine;
  profile::DeidOptions options;
  try {
    options = profile::parse_options(args.options);
  } catch (const profile::OptionError& e) {
    throw CommandFailure{2, e.what()};
  }
  config.options = options.header;
  config.clean_recognizable_visual_features = options.clean_recognizable_visual_features;
  config.face_report_dir = args.face_report;
  config.remove_ears = args.face_mode == "face-and-ears";
  if (config.remove_ears && !options.clean_recognizable_visual_features)
    throw CommandFailure{2, "--face-mode needs --option clean-recognizable-visual-features"};
  config.pixels.enabled = options.clean_pixel_data;
  config.pixels.scan = args.pixel_scan == "all" ? pipeline::PixelScan::All : pipeline::PixelScan::Suspected;
  config.pixels.scope = args.pixel_text == "phi-only" ? pixels::TextScope::IdentifyingOnly : pixels::TextScope::All;
  config.pixels.review_dir = args.review;
  const bool pixel_flags = args.pixel_scan != "all" || args.pixel_text != "all" || !args.review.empty();
  if (pixel_flags && !options.clean_pixel_data)
    throw CommandFailure{2, "--pixel-scan, --pixel-text and --review need --option clean-pixel-data"};
  config.jobs = args.jobs;
  return config;
}

pseudonym::SecretKey load_key(const std::string& file) {
  try {
    return pseudonym::SecretKey::load_file(file);
  } catch (const pseudonym::KeyError& e) {
    throw CommandFailure{2, e.what()};
  }
}

pipeline::RunReport guarded_run(const std::function<pipeline::RunReport()>& job) {
  try {
    return job();
  } catch (const pipeline::ConfigError& e) {
    throw CommandFailure{2, e.what()};
  } catch (const std::filesystem::filesystem_error& e) {
    // Its what() names paths, and an input path may name a patient: the error alone.
    throw CommandFailure{1, "a file system error: " + e.code().message()};
  } catch (const std::runtime_error& e) {
    throw CommandFailure{1, e.what()};  // radveil's own words, e.g. a face detector model is not installed
  }
}

void report_run(const DeidArgs& args, const pipeline::DeidRunConfig& config, const pipeline::RunReport& report) {
  std::fputs(report.summary_text().c_str(), stdout);
  const auto quarantined = report.count(pipeline::OutcomeKind::Quarantined);
  if (quarantined > 0) std::printf("  quarantine: %s (manifest.jsonl lists each file and why)\n", config.quarantine.c_str());
  std::printf("  output: %s\n", config.output.c_str());
  if (!args.report.empty()) {
    try {
      write_json_file(args.report, report.to_json(config.options));
    } catch (const std::runtime_error&) {
      throw CommandFailure{1, "cannot write report " + args.report};
    }
    std::printf("  report: %s\n", args.report.c_str());
  }
  if (args.fail_on_quarantine && quarantined > 0) throw CommandFailure{3, std::to_string(quarantined) + " file(s) quarantined"};
}

void run_and_report(const DeidArgs& args, const pipeline::DeidRunConfig& config, const pseudonym::SecretKey& key) {
  const pseudonym::Pseudonymizer pseudonymizer(key);
  ProgressBar bar;
  const pipeline::RunReport report = guarded_run([&] {
    return pipeline::run_deid(config, pseudonymizer,
                              [&bar](std::size_t d, std::size_t f, bool complete) { bar.update(d, f, complete); });
  });
  bar.finish();
  report_run(args, config, report);
}

}  // namespace radveil::cli
