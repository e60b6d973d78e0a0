#include "deid/dummy_values.h"

namespace radveil::deid {

std::optional<std::string_view> dummy_for_vr(std::string_view vr) {
  if (vr == "DA") return "19000101";
  if (vr == "DT") return "19000101000000";
  if (vr == "TM") return "000000";
  if (vr == "AS") return "000Y";
  if (vr == "DS" || vr == "IS") return "0";
  if (vr == "UR") return "urn:radveil:anonymized";
  if (vr == "PN") return "ANONYMIZED^ANONYMIZED";
  if (vr == "AE" || vr == "CS" || vr == "LO" || vr == "LT" || vr == "SH" || vr == "ST" ||
      vr == "UC" || vr == "UT")
    return kDummyText;
  return std::nullopt;
}

}  // namespace radveil::deid
