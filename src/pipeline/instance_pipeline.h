#pragma once
// One input file through every stage: read -> decide -> de-identify -> verify -> write (staged),
// carried by one InstanceContext. Any failure anywhere becomes a quarantine outcome; nothing is
// ever partly written. Publishing the staged file into the output tree is the journal's job (see
// job_journal.h).
#include <atomic>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "dicom/instance_file.h"
#include "pipeline/input_signature.h"
#include "pipeline/instance_context.h"
#include "pipeline/outcome.h"
#include "pipeline/pixel_stage.h"
#include "pipeline/release_gate.h"
#include "profile/options.h"
#include "pseudonym/pseudonymizer.h"

namespace radveil::pipeline {

class InstancePipeline {
 public:
  InstancePipeline(const profile::OptionSet& options, const pseudonym::Pseudonymizer& pseudonymizer,
                   std::filesystem::path staging_dir, PixelStage pixel_stage = PixelStage({}, nullptr),
                   ReleaseGate* gate = nullptr)
      : options_(options),
        pseudonymizer_(pseudonymizer),
        staging_dir_(std::move(staging_dir)),
        pixel_stage_(std::move(pixel_stage)),
        gate_(gate) {}

  // `signature` is the input's state before processing; an input that changes while it is read
  // is quarantined ("input-changed"). Never throws for a problem of the input.
  Outcome process(const std::filesystem::path& input, const InputSignature& signature) const;

  // For an instance a series stage has already read (and possibly changed): the same stages
  // from "decide" on. `extra_method_codes` are CID 7050 codes (value, meaning) to record. (The
  // series stage asks the gate first, so that nothing withheld is defaced for nothing.)
  Outcome process_loaded(const std::filesystem::path& input, const InputSignature& signature,
                         dicom::LoadedInstance loaded,
                         const std::vector<std::pair<std::string, std::string>>& extra_method_codes) const;

 private:
  Outcome deidentify(const std::filesystem::path& input, const InputSignature& signature) const;
  Outcome through_stages(InstanceContext context) const;
  // The stages, in order; each reads and extends the context.
  void read(InstanceContext& c) const;
  void decide(InstanceContext& c) const;
  void clean_pixels(InstanceContext& c) const;
  void deidentify_header(InstanceContext& c) const;
  void verify(InstanceContext& c) const;
  void write(InstanceContext& c) const;
  static DisclosedInstance disclosed(const InstanceContext& c);
  template <class Stage>
  Outcome guarded(Stage&& stage) const;
  void write_review(const PixelCleaningSummary& pixels, const std::filesystem::path& relative) const;

  const profile::OptionSet& options_;
  const pseudonym::Pseudonymizer& pseudonymizer_;
  std::filesystem::path staging_dir_;
  PixelStage pixel_stage_;
  ReleaseGate* gate_;  // exports only
  mutable std::atomic<unsigned long> staged_count_{0};
};

}  // namespace radveil::pipeline
