#pragma once
// The identifying values of one instance (names, identifiers, birth date, addresses, and
// institution or device names unless retained), gathered before anything is changed. They drive
// the cleaning of free text (option C) and the residual check of the output.
#include <dcmtk/dcmdata/dctk.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "profile/options.h"

namespace radveil::deid {

class IdentifyingValues {
 public:
  // Person names: each component of two or more letters, matched as a whole word.
  void add_person_name(std::string_view pn);
  // Identifiers, phone numbers, addresses: the whole value (3+ characters), matched anywhere.
  void add_identifier(std::string_view value);
  // A DA value: matched in the common written forms (YYYYMMDD, YYYY-MM-DD, DD.MM.YYYY, ...).
  void add_date(std::string_view da);

  // Adds every value of `other` (a union over several instances).
  void merge(const IdentifyingValues& other);

  bool empty() const { return words_.empty() && substrings_.empty(); }
  std::size_t size() const { return words_.size() + substrings_.size(); }
  // True if any identifying value occurs in `text` (case-insensitive).
  bool found_in(std::string_view text) const { return found_in(text, nullptr); }
  // The same, passing over person-name words (upper case) that `ignore_word` accepts.
  bool found_in(std::string_view text, const std::function<bool(std::string_view)>& ignore_word) const;
  // True if `text` read by OCR probably shows an identifying value: letters and digits only, with
  // the usual OCR confusions (O/0, I/L/1, S/5, B/8, Z/2) folded, and one misread character
  // forgiven in values of six or more characters.
  bool found_in_ocr_text(std::string_view text) const;
  // `text` with every occurrence replaced by "***".
  std::string redact(std::string_view text) const;

 private:
  std::vector<std::string> words_;       // upper-case, whole-word matches
  std::vector<std::string> substrings_;  // upper-case, matched anywhere
};

// The attributes whose whole value identifies the patient (IDs, address, telephone, accession...),
// the institution (name, address, department) or the device (station, serial number, UID).
bool is_patient_identifier_attribute(std::uint16_t group, std::uint16_t element);
bool is_institution_attribute(std::uint16_t group, std::uint16_t element);
bool is_device_attribute(std::uint16_t group, std::uint16_t element);

// Gathers the identifying values of a dataset at any depth of sequences.
IdentifyingValues collect_identifying_values(DcmItem& dataset, const profile::OptionSet& options);

}  // namespace radveil::deid
