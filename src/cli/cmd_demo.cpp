#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/header_comparison.h"
#include "core/json_file.h"
#include "pipeline/deid_run.h"
#include "pseudonym/secret_key.h"
#include "synth/synth_archive.h"

namespace radveil::cli {
namespace {

namespace fs = std::filesystem;

void run_demo(const fs::path& dir) {
  fs::remove_all(dir / "synthetic");
  fs::remove_all(dir / "deidentified");
  fs::remove_all(dir / "quarantine");
  fs::remove_all(dir / "pixel-review");
  fs::create_directories(dir);
  std::printf("== 1. synthesising an archive with planted identities\n");
  synth::SynthConfig sc;
  sc.out = dir / "synthetic";
  sc.patients = 3;
  sc.slices = 6;
  sc.rows = 128;
  auto summary = synth::synthesize_archive(sc);
  std::printf("   %zu DICOM files (CT, derived CT, SR, US, MR; four transfer syntaxes; three character sets)\n",
              summary.dicom_files);

  const fs::path key_file = dir / "demo.key";
  if (!fs::exists(key_file)) pseudonym::SecretKey::create_file(key_file);
  pseudonym::Pseudonymizer pseudonymizer(pseudonym::SecretKey::load_file(key_file));

  std::printf("== 2. de-identifying with retain-long-modified-dates, clean-descriptors and clean-pixel-data\n");
  pipeline::DeidRunConfig config;
  config.input = sc.out / "archive";
  config.output = dir / "deidentified";
  config.quarantine = dir / "quarantine";
  config.options.add(profile::ProfileOption::RetainLongModifiedDates);
  config.options.add(profile::ProfileOption::CleanDescriptors);
  // The ultrasound frames carry their patient burned into the pixels: blacked out, with review images.
  config.pixels.enabled = true;
  config.pixels.review_dir = dir / "pixel-review";
  const pipeline::RunReport run = pipeline::run_deid(config, pseudonymizer);
  std::fputs(run.summary_text().c_str(), stdout);
  const fs::path report = dir / "report.json";
  write_json_file(report, run.to_json(config.options));

  std::printf("\n   input:      %s\n   output:     %s\n   quarantine: %s\n   report:     %s\n   answer key: %s\n"
              "   pixel review: %s\n",
              config.input.c_str(), config.output.c_str(), config.quarantine.c_str(), report.c_str(),
              (sc.out / "answer-key.json").c_str(), config.pixels.review_dir.c_str());

  // Before/after of the first CT slice. Its output name is its keyed replacement UID.
  nlohmann::json key = nlohmann::json::parse(std::ifstream(sc.out / "answer-key.json"));
  const auto& first = key["instances"][0];
  const fs::path before = config.input / first["path"].get<std::string>();
  const std::string output_name = pseudonymizer.uid(first["sop"].get<std::string>()) + ".dcm";
  fs::path after;
  for (const auto& entry : fs::recursive_directory_iterator(config.output))
    if (entry.path().filename() == output_name) after = entry.path();
  if (!after.empty()) {
    std::printf("\n== 3. one CT slice, before and after\n   before: %s\n   after:  %s\n\n%s", before.c_str(),
                after.c_str(), compare_headers(before, after).c_str());
  }
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo", "synthesise a small archive, de-identify it and show the result");
  auto dir = std::make_shared<std::string>("radveil-demo");
  cmd->add_option("--dir", *dir, "working folder for the demo")->capture_default_str();
  cmd->callback([dir] { run_demo(*dir); });
}

}  // namespace radveil::cli
