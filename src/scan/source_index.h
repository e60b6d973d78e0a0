#pragma once
// `scan --against ORIGINAL`: the identifying values of every original instance, and how to find
// the original of a released instance:
//   1. through the key (radveil's own output: the released SOP Instance UID is the keyed
//      pseudonym of the original's);
//   2. the same SOP Instance UID (tools that keep UIDs);
//   3. the same Pixel Data bytes (tools that replace UIDs but leave pixels as they were);
//   4. otherwise every original's values at once (the strictest comparison, and the slowest).
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "deid/identifying_values.h"
#include "pseudonym/pseudonymizer.h"

namespace radveil::scan {

struct SourceValues {
  deid::IdentifyingValues identity;          // names, IDs, birth date, address, institution, device
  deid::IdentifyingValues patient_identity;  // the same without institution and device
  deid::IdentifyingValues dates;             // every real date of the instance, in written forms
};

// What a released instance is compared with.
struct SourceMatch {
  const SourceValues* values = nullptr;
  std::string_view how;              // "key", "uid", "pixels", "all originals"
  std::string_view original_series;  // the paired original's Series Instance UID; empty when unpaired
};

class SourceIndex {
 public:
  // Reads every DICOM file below `original` (headers; Pixel Data too when no key is given, for
  // matching by pixels). Files that cannot be read are counted, not fatal.
  SourceIndex(const std::filesystem::path& original, std::optional<pseudonym::SecretKey> key);

  SourceMatch match(DcmItem& released) const;
  // A UID that identifies something of an original (its instance, study, series, frame of
  // reference, a referenced instance...): one that stood in an attribute the profile replaces,
  // or in a private or unknown attribute. Never a well-known UID.
  bool is_source_uid(std::string_view uid) const { return uids_.find(uid) != uids_.end(); }
  // A UID an original itself gives as a class, coding scheme, transfer syntax or implementation
  // (in an attribute the profile keeps).
  bool names_class(std::string_view uid) const { return class_uids_.find(uid) != class_uids_.end(); }
  // A name radveil gives with the key (a patient's pseudonym "RV..."): an HMAC of an original's
  // values, which shows none of them whatever characters it happens to contain.
  bool is_own_pseudonym(std::string_view name) const { return own_pseudonyms_.find(name) != own_pseudonyms_.end(); }
  // Every original's values at once (for file and folder names, which belong to no instance).
  const SourceValues& all() const { return all_; }
  std::size_t instances() const { return instances_.size(); }
  std::size_t unreadable() const { return unreadable_; }
  // The files of one original series (for its face render beside the released series'), sorted.
  std::vector<std::filesystem::path> series_files(std::string_view series_uid) const;
  // SHA-256 of an instance's Pixel Data as stored (uncompressed bytes or fragments).
  static std::optional<std::string> pixel_digest(DcmItem& dataset);

 private:
  std::vector<SourceValues> instances_;
  std::vector<std::string> series_of_;  // per instance
  std::map<std::string, std::vector<std::filesystem::path>, std::less<>> files_of_series_;
  SourceValues all_;
  std::map<std::string, std::size_t> by_uid_, by_keyed_uid_, by_pixels_;
  std::set<std::string, std::less<>> uids_, class_uids_, own_pseudonyms_;
  std::size_t unreadable_ = 0;
};

}  // namespace radveil::scan
