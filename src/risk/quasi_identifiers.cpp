#include "risk/quasi_identifiers.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <charconv>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "dicom/values.h"

namespace radveil::risk {
namespace {

std::optional<double> number(const std::string& text) {
  double value = 0;
  const char* begin = text.data();
  while (begin < text.data() + text.size() && *begin == ' ') ++begin;
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (error != std::errc() || end == begin) return std::nullopt;
  return value;
}

std::string band(double value, int width, const char* unit) {
  if (value < 0) return {};
  const int low = static_cast<int>(value / width) * width;
  return std::to_string(low) + "-" + std::to_string(low + width - 1) + unit;
}

// Whole years from an Age String ("045Y", "006M", "010W", "003D").
std::optional<int> age_years(const std::string& age) {
  if (age.size() != 4) return std::nullopt;
  const auto n = number(age.substr(0, 3));
  if (!n) return std::nullopt;
  switch (age[3]) {
    case 'Y': return static_cast<int>(*n);
    case 'M': return static_cast<int>(*n / 12);
    case 'W': return static_cast<int>(*n / 52);
    case 'D': return static_cast<int>(*n / 365);
    default: return std::nullopt;
  }
}

// Whole years between two DA values (YYYYMMDD), or nothing.
std::optional<int> years_between(const std::string& birth, const std::string& at) {
  if (birth.size() < 8 || at.size() < 8) return std::nullopt;
  const auto b = number(birth.substr(0, 8)), a = number(at.substr(0, 8));
  if (!b || !a || *a < *b) return std::nullopt;
  const int years = static_cast<int>(*a / 10000) - static_cast<int>(*b / 10000);
  const bool before_birthday = static_cast<int>(*a) % 10000 < static_cast<int>(*b) % 10000;
  return years - (before_birthday ? 1 : 0);
}

std::string age_band(DcmItem& ds) {
  auto years = age_years(dicom::get_string(ds, DCM_PatientAge));
  if (!years) years = years_between(dicom::get_string(ds, DCM_PatientBirthDate), dicom::get_string(ds, DCM_StudyDate));
  if (!years) return {};
  if (*years >= 90) return "90+";  // HIPAA Safe Harbor aggregates ages over 89
  return band(*years, 10, "");
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

}  // namespace

const std::vector<std::string>& known_quasi_identifiers() {
  static const std::vector<std::string> names{"age-band",    "sex",          "study-year",  "modality",   "body-part",
                                              "institution", "device-model", "height-band", "weight-band"};
  return names;
}

std::vector<std::string> parse_quasi_identifiers(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string name; std::getline(in, name, ',');) {
    name = trimmed(name);
    if (name.empty()) continue;
    bool known = false;
    for (const auto& k : known_quasi_identifiers()) known |= k == name;
    if (!known) {
      std::string list;
      for (const auto& k : known_quasi_identifiers()) list += (list.empty() ? "" : ", ") + k;
      throw std::invalid_argument("unknown quasi-identifier '" + name + "'; known: " + list);
    }
    out.push_back(name);
  }
  if (out.empty()) throw std::invalid_argument("no quasi-identifier named");
  return out;
}

std::string quasi_value(DcmItem& ds, const std::string& name) {
  if (name == "age-band") return age_band(ds);
  if (name == "sex") return trimmed(dicom::get_string(ds, DCM_PatientSex));
  if (name == "study-year") {
    const std::string date = dicom::get_string(ds, DCM_StudyDate);
    return date.size() >= 4 ? date.substr(0, 4) : std::string();
  }
  if (name == "modality") return trimmed(dicom::get_string(ds, DCM_Modality));
  if (name == "body-part") return trimmed(dicom::get_string(ds, DCM_BodyPartExamined));
  if (name == "institution") return trimmed(dicom::get_string(ds, DCM_InstitutionName));
  if (name == "device-model") return trimmed(dicom::get_string(ds, DCM_ManufacturerModelName));
  if (name == "height-band") {
    const auto metres = number(dicom::get_string(ds, DCM_PatientSize));
    return metres && *metres > 0 ? band(*metres * 100, 10, " cm") : std::string();
  }
  if (name == "weight-band") {
    const auto kg = number(dicom::get_string(ds, DCM_PatientWeight));
    return kg && *kg > 0 ? band(*kg, 10, " kg") : std::string();
  }
  throw std::invalid_argument("unknown quasi-identifier '" + name + "'");
}

void QuasiIdentifierTable::add(DcmItem& ds) {
  const std::string patient = dicom::get_string(ds, DCM_PatientID) + "\x1f" + dicom::get_string(ds, DCM_IssuerOfPatientID);
  auto& values = patients_[patient];
  values.resize(names_.size());
  for (std::size_t i = 0; i < names_.size(); ++i) values[i].insert(quasi_value(ds, names_[i]));
}

std::vector<PatientRecord> QuasiIdentifierTable::records() const {
  std::vector<PatientRecord> out;
  for (const auto& [patient, sets] : patients_) {
    PatientRecord r{patient, {}};
    for (const auto& set : sets) {
      std::string joined;
      for (const auto& v : set) joined += (joined.empty() ? "" : "|") + v;
      r.values.push_back(joined);
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace radveil::risk
