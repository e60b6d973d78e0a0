#pragma once
// Attributes whose Z or D action is carried out with a keyed pseudonym instead of an empty or
// dummy value, so that records stay linkable for whoever holds the same key (and no one else).
#include <cstdint>
#include <optional>
#include <string_view>

namespace radveil::deid {

enum class PseudonymKind {
  Patient,     // Patient ID and Patient's Name: the patient token of the item's patient identity
  Accession,   // Accession Number
  StudyId,     // Study ID
  OrderNumber  // Placer / Filler Order Number
};

std::optional<PseudonymKind> pseudonym_kind(std::uint16_t group, std::uint16_t element);

}  // namespace radveil::deid
