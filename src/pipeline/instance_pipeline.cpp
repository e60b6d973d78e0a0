#include "pipeline/instance_pipeline.h"

#include <algorithm>

#include "core/quarantine_error.h"
#include "deid/header_deidentifier.h"
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

std::string_view outcome_name(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::Deidentified: return "deidentified";
    case OutcomeKind::Quarantined: return "quarantined";
    case OutcomeKind::Skipped: return "skipped";
  }
  return "unknown";
}

Outcome InstancePipeline::process(const std::filesystem::path& input) const {
  try {
    return deidentify(input);
  } catch (const QuarantineError& e) {
    return Outcome{OutcomeKind::Quarantined, e.reason(), e.detail(), {}, {}};
  } catch (const std::bad_alloc&) {
    return Outcome{OutcomeKind::Quarantined, "out-of-memory", "the instance did not fit in memory", {}, {}};
  } catch (const std::filesystem::filesystem_error& e) {
    // Its what() names paths, and input paths may name patients: keep only the error.
    return Outcome{OutcomeKind::Quarantined, "io-error", e.code().message(), {}, {}};
  } catch (const std::exception& e) {
    return Outcome{OutcomeKind::Quarantined, "internal-error", e.what(), {}, {}};
  }
}

Outcome InstancePipeline::deidentify(const std::filesystem::path& input) const {
  switch (dicom::sniff(input)) {
    case dicom::Sniffed::NotDicom: return Outcome{OutcomeKind::Skipped, "not-dicom", "content is not DICOM", {}, {}};
    case dicom::Sniffed::Unreadable: throw QuarantineError("unreadable", "the file cannot be opened for reading");
    case dicom::Sniffed::Part10:
    case dicom::Sniffed::BareDataset: break;
  }
  dicom::check_nesting_depth(input);
  dicom::LoadedInstance loaded = dicom::load_lazy(input);
  DcmDataset& ds = *loaded.dataset;
  if (deid::is_dicomdir(ds, loaded.media_storage_sop_class))
    return Outcome{OutcomeKind::Skipped, "dicomdir", "DICOMDIR files index names and are never copied", {}, {}};
  if (auto refusal = deid::refuse_release(ds)) throw QuarantineError(refusal->reason, refusal->detail);
  if (dicom::get_string(ds, DCM_SOPClassUID).empty())
    throw QuarantineError("missing-identifiers", "SOP Class UID is missing");

  deid::HeaderDeidentifier deidentifier(options_, pseudonymizer_);
  deid::DeidResult result = deidentifier.apply(ds);
  deid::check_no_residual_identity(ds, result.identifying);

  const std::filesystem::path relative = std::filesystem::path(result.patient_pseudonym) /
                                         uid_component(ds, DCM_StudyInstanceUID, "Study Instance UID") /
                                         uid_component(ds, DCM_SeriesInstanceUID, "Series Instance UID") /
                                         (uid_component(ds, DCM_SOPInstanceUID, "SOP Instance UID") + ".dcm");
  auto written = dicom::write_atomically(std::move(loaded.dataset), loaded.transfer_syntax, output_root_ / relative);
  if (written == dicom::WriteResult::AlreadyExists)
    throw QuarantineError("duplicate-sop-instance",
                          "an instance with the same SOP Instance UID is already in the output");
  return Outcome{OutcomeKind::Deidentified, {}, {}, relative, {}};
}

}  // namespace radveil::pipeline
