#pragma once
// What happened to one input file. Reasons are short machine-readable codes.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/report_text.h"

namespace radveil::pipeline {

// Withheld: an export's consent decision kept it back (nothing written, nothing quarantined).
enum class OutcomeKind { Deidentified, Quarantined, Skipped, Withheld };
inline constexpr OutcomeKind kAllOutcomeKinds[] = {OutcomeKind::Deidentified, OutcomeKind::Quarantined,
                                                   OutcomeKind::Skipped, OutcomeKind::Withheld};

// What Clean Pixel Data did to a de-identified instance (all zero when it did not run).
struct PixelFigures {
  bool cleaned = false;
  std::size_t frames = 0, frames_redacted = 0, boxes = 0;
  bool written_uncompressed = false;
};

// What an export needs to record a written instance as disclosed (original values: these stay in
// the hospital's state, never in OUT).
struct DisclosedInstance {
  std::string patient_value, patient_system, study_uid, pseudonymous_study_uid, sop_uid, modality;
  std::vector<std::string> method_codes;
  std::string sop_class_uid;
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::Skipped;
  std::string reason;  // empty for Deidentified
  std::string detail;  // for people: radveil's words and validated values, never a patient value
  std::filesystem::path output;  // relative to OUT, for Deidentified
  std::string quarantine_id;     // for Quarantined
  std::filesystem::path staged;  // for Deidentified: the written file, not yet published
  PixelFigures pixels;           // for Deidentified
  std::optional<DisclosedInstance> disclosed;  // for Deidentified, in an export

  static Outcome deidentified(std::filesystem::path output, std::filesystem::path staged) {
    Outcome o = with(OutcomeKind::Deidentified, {}, {});
    o.output = std::move(output);
    o.staged = std::move(staged);
    return o;
  }
  static Outcome quarantined(std::string reason, std::string detail) {
    return with(OutcomeKind::Quarantined, std::move(reason), std::move(detail));
  }
  static Outcome skipped(std::string reason, std::string detail) {
    return with(OutcomeKind::Skipped, std::move(reason), std::move(detail));
  }
  static Outcome withheld(std::string reason) {
    return with(OutcomeKind::Withheld, std::move(reason), "the export's consent decision withholds this patient's study");
  }

 private:
  static Outcome with(OutcomeKind kind, std::string reason, std::string detail) {
    Outcome o;
    o.kind = kind;
    // The last gate before journal, manifest and report: a reason is a code, a detail printable.
    if (!reason.empty()) o.reason = report_text::checked_reason(reason);
    o.detail = report_text::checked(detail);
    return o;
  }
};

std::string_view outcome_name(OutcomeKind kind);

}  // namespace radveil::pipeline
