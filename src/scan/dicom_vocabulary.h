#pragma once
// The words of the DICOM vocabulary: every word of three or more letters in the names of the
// standard's public attributes (FilterType -> FILTER, TYPE; HeadFixationAngle -> HEAD, ...), as
// DCMTK's data dictionary has them. A person's name can be one of them (a patient "Head", a
// surgeon "Field"), and then finding that word in a technical value ("HEAD FILTER") is weak
// evidence: the scan still reports it, at a lower severity (docs/scan.md).
#include <optional>
#include <string_view>

#include "deid/identifying_values.h"
#include "scan/finding.h"

namespace radveil::scan {

// `word` in upper case, as IdentifyingValues holds name words.
bool is_dicom_vocabulary_word(std::string_view word);

// What finding an original's values in `text` make: "source-value" (high) for any name word,
// identifier, address or date of the original; "source-name-word" (medium) when the only ones
// found are name words that are also DICOM vocabulary words or have one or two letters; nothing
// when none is found.
struct SourceValueFinding {
  std::string_view kind;
  Severity severity;
};
std::optional<SourceValueFinding> source_value_finding(const deid::IdentifyingValues& original, std::string_view text);

}  // namespace radveil::scan
