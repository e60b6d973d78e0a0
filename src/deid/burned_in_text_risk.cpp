#include "deid/burned_in_text_risk.h"

#include "deid/release_policy.h"

namespace radveil::deid {

bool burned_in_text_suspected(DcmDataset& ds) {
  const auto refusal = refuse_release(ds);
  return refusal && (refusal->reason == "burned-in-text-risk" || refusal->reason == "overlay-in-pixel-data");
}

}  // namespace radveil::deid
