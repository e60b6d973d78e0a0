#include "deid/pseudonym_attributes.h"

namespace radveil::deid {

std::optional<PseudonymKind> pseudonym_kind(std::uint16_t group, std::uint16_t element) {
  const std::uint32_t t = (std::uint32_t{group} << 16) | element;
  switch (t) {
    case 0x00100020: return PseudonymKind::Patient;      // Patient ID
    case 0x00100010: return PseudonymKind::Patient;      // Patient's Name
    case 0x00080050: return PseudonymKind::Accession;    // Accession Number
    case 0x00200010: return PseudonymKind::StudyId;      // Study ID
    case 0x00402016: return PseudonymKind::OrderNumber;  // Placer Order Number / Imaging Service Request
    case 0x00402017: return PseudonymKind::OrderNumber;  // Filler Order Number / Imaging Service Request
    default: return std::nullopt;
  }
}

}  // namespace radveil::deid
