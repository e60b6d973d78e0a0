#include "pipeline/instance_pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <opencv2/imgcodecs.hpp>

#include "core/out_of_space.h"
#include "core/quarantine_error.h"
#include "core/report_text.h"
#include "deid/deid_marker.h"
#include "deid/header_deidentifier.h"
#include "deid/identifying_values.h"
#include "deid/release_policy.h"
#include "deid/residual_check.h"
#include "dicom/input_file.h"
#include "dicom/instance_file.h"
#include "dicom/sniff.h"
#include "dicom/structure_guard.h"
#include "dicom/values.h"

namespace radveil::pipeline {
namespace {

// A path component made from a UID: digits and dots only, so no input can steer the output path.
std::string uid_component(DcmDataset& ds, const DcmTagKey& tag, const char* what) {
  const std::string uid = dicom::get_string(ds, tag);
  const bool ok = !uid.empty() && uid.size() <= 64 && uid.front() != '.' &&
                  std::all_of(uid.begin(), uid.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  if (!ok) throw QuarantineError("missing-identifiers", std::string(what) + " is missing or not a valid UID");
  return uid;
}

}  // namespace

// Review images go under the output's pseudonymous path (never an input name), written under a
// temporary name and renamed, so a reviewer never opens half a PNG.
void InstancePipeline::write_review(const PixelCleaningSummary& pixels, const std::filesystem::path& relative) const {
  const std::filesystem::path dir = pixel_stage_.review_dir() / relative.parent_path();
  std::filesystem::create_directories(dir);
  for (const auto& [frame, image] : pixels.review) {
    const std::filesystem::path target = dir / (relative.stem().string() + "-frame" + std::to_string(frame + 1) + ".png");
    const std::filesystem::path temporary =
        target.string() + "." + std::to_string(::getpid()) + "-" + std::to_string(staged_count_++) + ".tmp.png";
    if (!cv::imwrite(temporary.string(), image)) throw QuarantineError("write-failed", "a review image cannot be written");
    std::filesystem::rename(temporary, target);
  }
}

template <class Stage>
Outcome InstancePipeline::guarded(Stage&& stage) const {
  try {
    return stage();
  } catch (const QuarantineError& e) {
    return Outcome::quarantined(e.reason(), e.detail());
  } catch (const OutOfSpace&) {
    throw;  // not the instance's fault: the run stops, and the instance is done again later
  } catch (const std::bad_alloc&) {
    return Outcome::quarantined("out-of-memory", "the instance did not fit in memory");
  } catch (const std::filesystem::filesystem_error& e) {
    if (is_out_of_space(e.code().value())) throw OutOfSpace("a file cannot be written");
    // Its what() names paths, and input paths may name patients: keep only the error.
    return Outcome::quarantined("io-error", e.code().message());
  } catch (const std::exception& e) {
    return Outcome::quarantined("internal-error", report_text::describe_unexpected(e));
  }
}

Outcome InstancePipeline::process(const std::filesystem::path& input, const InputSignature& signature) const {
  return guarded([&] { return deidentify(input, signature); });
}

Outcome InstancePipeline::process_loaded(const std::filesystem::path& input, const InputSignature& signature,
                                         dicom::LoadedInstance loaded,
                                         const std::vector<std::pair<std::string, std::string>>& extra_method_codes) const {
  return guarded([&] {
    InstanceContext context(input, signature, std::move(loaded));
    context.method_codes = extra_method_codes;
    return through_stages(std::move(context));
  });
}

Outcome InstancePipeline::deidentify(const std::filesystem::path& input, const InputSignature& signature) const {
  // One opening for the sniff, the nesting guard and the parser: the header is read once, in
  // large blocks, and shared by the three.
  std::optional<InstanceContext> context;
  {
    dicom::InputFile file(input);
    switch (dicom::sniff(file)) {
      case dicom::Sniffed::NotDicom: return Outcome::skipped("not-dicom", "content is not DICOM");
      case dicom::Sniffed::Unreadable: throw QuarantineError("unreadable", "the file cannot be opened for reading");
      case dicom::Sniffed::Part10:
      case dicom::Sniffed::BareDataset: break;
    }
    dicom::check_nesting_depth(file);
    context.emplace(input, signature, dicom::load_lazy(file));
  }  // closed before the stages: nothing holds the file but the values DCMTK left there
  return through_stages(std::move(*context));
}

Outcome InstancePipeline::through_stages(InstanceContext c) const {
  if (deid::is_dicomdir(*c.loaded.dataset, c.loaded.media_storage_sop_class))
    return Outcome::skipped("dicomdir", "DICOMDIR files index names and are never copied");
  read(c);
  decide(c);
  if (c.withheld) return Outcome::withheld(*c.withheld);
  clean_pixels(c);
  deidentify_header(c);
  verify(c);
  write(c);
  Outcome outcome = Outcome::deidentified(c.relative, c.staged);
  outcome.pixels = {c.pixels.cleaned, c.pixels.frames, c.pixels.frames_redacted, c.pixels.boxes,
                    c.pixels.written_uncompressed};
  if (gate_) outcome.disclosed = disclosed(c);
  return outcome;
}

void InstancePipeline::read(InstanceContext& c) const {
  DcmDataset& ds = *c.loaded.dataset;
  c.patient = patient_of(ds);
  c.study_uid = dicom::get_string(ds, DCM_StudyInstanceUID);
  c.modality = dicom::get_string(ds, DCM_Modality);
  c.sop_class_uid = dicom::get_string(ds, DCM_SOPClassUID);
  if (c.sop_class_uid.empty()) c.sop_class_uid = c.loaded.media_storage_sop_class;
  c.identifying = deid::collect_identifying_values(ds, options_);
}

void InstancePipeline::decide(InstanceContext& c) const {
  if (gate_) c.withheld = gate_->withheld(*c.loaded.dataset);
}

void InstancePipeline::clean_pixels(InstanceContext& c) const {
  DcmDataset& ds = *c.loaded.dataset;
  if (pixel_stage_.enabled()) c.pixels = pixel_stage_.run(ds, c.loaded.transfer_syntax, c.identifying);
  if (auto refusal = deid::refuse_release(ds, c.pixels.cleaned)) throw QuarantineError(refusal->reason, refusal->detail);
}

void InstancePipeline::deidentify_header(InstanceContext& c) const {
  DcmDataset& ds = *c.loaded.dataset;
  if (dicom::get_string(ds, DCM_SOPClassUID).empty())
    throw QuarantineError("missing-identifiers", "SOP Class UID is missing");
  c.header = deid::HeaderDeidentifier(options_, pseudonymizer_).apply(ds, c.identifying);
  for (const auto& [code, meaning] : c.method_codes) deid::add_method_code(ds, code, meaning);
  if (c.pixels.cleaned) deid::add_method_code(ds, "113101", "Clean Pixel Data Option");
}

void InstancePipeline::verify(InstanceContext& c) const {
  DcmDataset& ds = *c.loaded.dataset;
  deid::check_no_residual_identity(ds, c.header.identifying);
  deid::check_value_repertoires(ds);
}

DisclosedInstance InstancePipeline::disclosed(const InstanceContext& c) {
  // The output's path is <patient>/<study>/<series>/<instance>.dcm, each a pseudonym.
  auto part = c.relative.begin();
  const std::string study = (++part)->string();
  return {c.patient.value,           c.patient.system, c.study_uid,           study,
          c.relative.stem().string(), c.modality,       c.method_codes_written, c.sop_class_uid};
}

void InstancePipeline::write(InstanceContext& c) const {
  DcmDataset& ds = *c.loaded.dataset;
  c.relative = std::filesystem::path(c.header.patient_pseudonym) /
               uid_component(ds, DCM_StudyInstanceUID, "Study Instance UID") /
               uid_component(ds, DCM_SeriesInstanceUID, "Series Instance UID") /
               (uid_component(ds, DCM_SOPInstanceUID, "SOP Instance UID") + ".dcm");
  c.method_codes_written = deid::method_codes(ds);
  c.staged = staging_dir_ / (std::to_string(::getpid()) + "-" + std::to_string(staged_count_++) + ".dcm");
  dicom::write_file(std::move(c.loaded.dataset), c.loaded.transfer_syntax, c.staged);
  // Large values were copied from the input just now: if the input changed since it was first
  // looked at, the output may mix two versions of it.
  const StatResult after = stat_input(c.input);
  if (!after.signature || !(*after.signature == c.signature)) {
    std::error_code ec;
    std::filesystem::remove(c.staged, ec);
    throw QuarantineError("input-changed", "the file changed while it was being read");
  }
  if (!c.pixels.review.empty()) write_review(c.pixels, c.relative);
}

}  // namespace radveil::pipeline
