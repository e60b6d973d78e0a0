#pragma once
// Applies PS3.15 Table E.1-1 (with the selected options) to every attribute of a dataset, at any
// depth of sequences, plus the rules for private and unlisted attributes. Header only: Pixel Data
// and other large values are never read.
#include <dcmtk/dcmdata/dctk.h>

#include <cstddef>
#include <string>

#include "deid/identifying_values.h"
#include "profile/options.h"
#include "pseudonym/pseudonymizer.h"

namespace radveil::deid {

inline constexpr int kMaxSequenceDepth = 32;

struct DeidCounts {
  std::size_t removed = 0, emptied = 0, dummies = 0, kept = 0, cleaned = 0;
  std::size_t uids_replaced = 0, dates_shifted = 0, invalid_dates_emptied = 0, pseudonyms = 0;
  std::size_t private_removed = 0, private_kept = 0, overlay_groups_removed = 0;
};

struct DeidResult {
  std::string patient_pseudonym;  // "RV" + 14 base32 characters
  int date_shift_days = 0;        // applied when retain-long-modified-dates is selected
  IdentifyingValues identifying;  // gathered from the original, for the residual check
  DeidCounts counts;
};

class HeaderDeidentifier {
 public:
  HeaderDeidentifier(const profile::OptionSet& options, const pseudonym::Pseudonymizer& pseudonymizer)
      : options_(options), pseudonymizer_(pseudonymizer) {}

  // Rewrites `dataset` in place and marks it de-identified (0012,0062-0064), (0028,0303).
  // Throws QuarantineError when the dataset cannot be fully de-identified.
  DeidResult apply(DcmDataset& dataset) const;
  // As above, with the identifying values already gathered from the original (by the pipeline's
  // read stage) rather than gathered again.
  DeidResult apply(DcmDataset& dataset, IdentifyingValues identifying) const;

  // The identity a patient's pseudonym and date shift derive from: Patient ID with its issuer,
  // or, without an ID, name and birth date, or, without those, the Study Instance UID.
  static std::string patient_identity(DcmItem& item);

 private:
  const profile::OptionSet& options_;
  const pseudonym::Pseudonymizer& pseudonymizer_;
};

}  // namespace radveil::deid
