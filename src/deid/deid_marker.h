#pragma once
// Marks a dataset as de-identified: Patient Identity Removed, De-identification Method and its
// Code Sequence (the profile and every option used, CID 7050), and Longitudinal Temporal
// Information Modified when dates were shifted.
#include <dcmtk/dcmdata/dctk.h>

#include <string>
#include <vector>

#include "profile/options.h"

namespace radveil::deid {

void mark_deidentified(DcmDataset& dataset, const profile::OptionSet& options);

// Adds one more CID 7050 code (e.g. 113102 Clean Recognizable Visual Features) to (0012,0064)
// and its meaning to (0012,0063), for work done outside the header profile.
void add_method_code(DcmDataset& dataset, const std::string& code, const std::string& meaning);

// The CID 7050 codes in (0012,0064), in order.
std::vector<std::string> method_codes(DcmDataset& dataset);

}  // namespace radveil::deid
