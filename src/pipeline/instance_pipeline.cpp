#include "pipeline/instance_pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <opencv2/imgcodecs.hpp>

#include "core/quarantine_error.h"
#include "core/report_text.h"
#include "deid/deid_marker.h"
#include "deid/header_deidentifier.h"
#include "deid/identifying_values.h"
#include "deid/release_policy.h"
#include "deid/residual_check.h"
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
  } catch (const std::bad_alloc&) {
    return Outcome::quarantined("out-of-memory", "the instance did not fit in memory");
  } catch (const std::filesystem::filesystem_error& e) {
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
  return guarded([&] { return deidentify_loaded(input, signature, std::move(loaded), extra_method_codes); });
}

Outcome InstancePipeline::deidentify(const std::filesystem::path& input, const InputSignature& signature) const {
  switch (dicom::sniff(input)) {
    case dicom::Sniffed::NotDicom: return Outcome::skipped("not-dicom", "content is not DICOM");
    case dicom::Sniffed::Unreadable: throw QuarantineError("unreadable", "the file cannot be opened for reading");
    case dicom::Sniffed::Part10:
    case dicom::Sniffed::BareDataset: break;
  }
  dicom::check_nesting_depth(input);
  return deidentify_loaded(input, signature, dicom::load_lazy(input), {});
}

Outcome InstancePipeline::deidentify_loaded(const std::filesystem::path& input, const InputSignature& signature,
                                            dicom::LoadedInstance loaded,
                                            const std::vector<std::pair<std::string, std::string>>& extra_method_codes) const {
  DcmDataset& ds = *loaded.dataset;
  if (deid::is_dicomdir(ds, loaded.media_storage_sop_class))
    return Outcome::skipped("dicomdir", "DICOMDIR files index names and are never copied");
  PixelCleaningSummary pixels;
  if (pixel_stage_.enabled())
    pixels = pixel_stage_.run(ds, loaded.transfer_syntax, deid::collect_identifying_values(ds, options_));
  if (auto refusal = deid::refuse_release(ds, pixels.cleaned)) throw QuarantineError(refusal->reason, refusal->detail);
  if (dicom::get_string(ds, DCM_SOPClassUID).empty())
    throw QuarantineError("missing-identifiers", "SOP Class UID is missing");

  deid::HeaderDeidentifier deidentifier(options_, pseudonymizer_);
  deid::DeidResult result = deidentifier.apply(ds);
  for (const auto& [code, meaning] : extra_method_codes) deid::add_method_code(ds, code, meaning);
  if (pixels.cleaned) deid::add_method_code(ds, "113101", "Clean Pixel Data Option");
  deid::check_no_residual_identity(ds, result.identifying);
  deid::check_value_repertoires(ds);

  const std::filesystem::path relative = std::filesystem::path(result.patient_pseudonym) /
                                         uid_component(ds, DCM_StudyInstanceUID, "Study Instance UID") /
                                         uid_component(ds, DCM_SeriesInstanceUID, "Series Instance UID") /
                                         (uid_component(ds, DCM_SOPInstanceUID, "SOP Instance UID") + ".dcm");
  const std::filesystem::path staged =
      staging_dir_ / (std::to_string(::getpid()) + "-" + std::to_string(staged_count_++) + ".dcm");
  dicom::write_file(std::move(loaded.dataset), loaded.transfer_syntax, staged);
  // Large values were copied from the input just now: if the input changed since it was first
  // looked at, the output may mix two versions of it.
  const StatResult after = stat_input(input);
  if (!after.signature || !(*after.signature == signature)) {
    std::error_code ec;
    std::filesystem::remove(staged, ec);
    throw QuarantineError("input-changed", "the file changed while it was being read");
  }
  if (!pixels.review.empty()) write_review(pixels, relative);
  Outcome outcome = Outcome::deidentified(relative, staged);
  outcome.pixels = {pixels.cleaned, pixels.frames, pixels.frames_redacted, pixels.boxes, pixels.written_uncompressed};
  return outcome;
}

}  // namespace radveil::pipeline
