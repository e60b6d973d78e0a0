#pragma once
// Structured reports shaped like those of the tools that make them, for the scan's handling of
// the UIDs in them: DCMTK's dcmsr (its private coding scheme 1.2.276.0.7230010.3.0.0.1 in every
// code, as in pydicom's test-SR.dcm), highdicom (TID 1500 with a template and its mapping
// resource, coding scheme identification, tracking UIDs, a device observer), dcmqi (TID 1500 made
// through DCMTK, a segment referenced, the segmented series named by UID) and a pydicom script
// (UIDs generated under pydicom's root, a private coding scheme given a UID under that root too,
// a private block). Each also knows which of its UIDs identify something of the patient's and
// which name a class, a scheme, a template or an implementation.
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace radveil::test {

struct GeneratedReport {
  std::string generator;  // "dcmtk", "highdicom", "dcmqi", "pydicom"
  std::unique_ptr<DcmFileFormat> file;
  // The UIDs of its instance, study, series and what it references or tracks: the originals'.
  std::vector<std::string> instance_uids;
  // The UIDs that name a kind of thing (coding schemes, mapping resources, classes) other than
  // under the DICOM root: the same in every report the tool makes.
  std::vector<std::string> kind_uids;
  // The File Meta's Implementation Class UID and Version Name the tool writes (DCMTK's own when
  // empty).
  std::pair<std::string, std::string> implementation;
};

// The four reports, each of its own patient; `seed` varies the UIDs.
std::vector<GeneratedReport> reports_from_generators(unsigned seed);

// Writes each report as `<generator>.dcm` in `folder` (created).
void write_reports(const std::vector<GeneratedReport>& reports, const std::filesystem::path& folder);

}  // namespace radveil::test
