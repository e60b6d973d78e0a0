#pragma once
// Verify stage: reads the de-identified dataset back and refuses it if any text value, at any
// depth, still holds an identifying value of the original.
#include <dcmtk/dcmdata/dctk.h>

#include "deid/identifying_values.h"

namespace radveil::deid {

// Throws QuarantineError("residual-phi", "<tag> ...") naming the attribute, never its value.
void check_no_residual_identity(DcmItem& dataset, const IdentifyingValues& identifying);

}  // namespace radveil::deid
