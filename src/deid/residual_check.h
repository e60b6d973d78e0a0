#pragma once
// Verify stage: reads the de-identified dataset back and refuses it if any text value, at any
// depth, still holds an identifying value of the original, or a value its VR cannot hold.
#include <dcmtk/dcmdata/dctk.h>

#include "deid/identifying_values.h"

namespace radveil::deid {

// Throws QuarantineError("residual-phi", "<tag> ...") naming the attribute, never its value.
void check_no_residual_identity(DcmItem& dataset, const IdentifyingValues& identifying);

// Values kept as they came (well-known and class UIDs, code strings, numbers, dates) must be of
// their VR's shape, or a hostile file could carry a name through them: a kept UID is digits and
// dots, and AE AS CS DA DS DT IS TM values hold printable ASCII only.
// Throws QuarantineError("invalid-value", "<tag> ...") naming the attribute, never its value.
void check_value_repertoires(DcmItem& dataset);

}  // namespace radveil::deid
