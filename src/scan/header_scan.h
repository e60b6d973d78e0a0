#pragma once
// Residual identity in one instance's header: every value at every depth (sequences, private
// blocks, File Meta, the preamble, SR and graphic text, overlay labels), by shape (text_patterns.h),
// by the attribute it is in (a Person Name, a birth date, an institution...), and with
// `--against` by the original's own values; plus what the file says about itself (Patient
// Identity Removed, Burned In Annotation, private attributes, UIDs under an organisation's root).
#include <dcmtk/dcmdata/dctk.h>

#include <string_view>
#include <vector>

#include "scan/finding.h"
#include "scan/source_index.h"

namespace radveil::scan {

struct HeaderScanInput {
  DcmMetaInfo* meta = nullptr;  // the File Meta Information, when the file has one
  DcmDataset* dataset = nullptr;
  std::string_view preamble;    // the 128 bytes before "DICM" (empty for a bare dataset)
  const SourceIndex* source = nullptr;
  // The original `source` paired with this instance, when the caller has looked it up already
  // (pairing by pixels digests all of Pixel Data: done once per file); else looked up here.
  const SourceMatch* match = nullptr;
};

// The dataset's values are converted to UTF-8 in place. Findings have no `file` yet.
std::vector<Finding> scan_header(const HeaderScanInput& input);

}  // namespace radveil::scan
