#pragma once
// Marks a dataset as de-identified: Patient Identity Removed, De-identification Method and its
// Code Sequence (the profile and every option used, CID 7050), and Longitudinal Temporal
// Information Modified when dates were shifted.
#include <dcmtk/dcmdata/dctk.h>

#include "profile/options.h"

namespace radveil::deid {

void mark_deidentified(DcmDataset& dataset, const profile::OptionSet& options);

}  // namespace radveil::deid
