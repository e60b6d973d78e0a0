#pragma once
// The quasi-identifiers a released dataset keeps, as a risk assessment counts them: from each
// instance's header, banded where exact values would single people out, then gathered per patient
// (a patient with several studies has the set of its values, e.g. two study years).
//
// Known quasi-identifiers (the default set is all of them):
//   age-band     Patient's Age (else Birth Date and Study Date) in 10-year bands; 90 and over is "90+"
//   sex          Patient's Sex
//   study-year   the year of Study Date
//   modality     Modality
//   body-part    Body Part Examined
//   institution  Institution Name
//   device-model Manufacturer's Model Name
//   height-band  Patient's Size in 10 cm bands
//   weight-band  Patient's Weight in 10 kg bands
// A value the header does not hold is "" (itself a value: absence groups patients too).
#include <dcmtk/dcmdata/dcitem.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "risk/reidentification_risk.h"

namespace radveil::risk {

const std::vector<std::string>& known_quasi_identifiers();
// Refuses (std::invalid_argument, naming it) a name radveil does not know.
std::vector<std::string> parse_quasi_identifiers(const std::string& comma_separated);

// One quasi-identifier's value in one instance.
std::string quasi_value(DcmItem& dataset, const std::string& name);

// Gathers instances per patient (Patient ID and Issuer as the released files name them).
class QuasiIdentifierTable {
 public:
  explicit QuasiIdentifierTable(std::vector<std::string> names) : names_(std::move(names)) {}
  void add(DcmItem& dataset);
  std::vector<PatientRecord> records() const;  // one per patient, values joined with '|' when several
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::map<std::string, std::vector<std::set<std::string>>> patients_;
};

}  // namespace radveil::risk
