#include "risk/reidentification_risk.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace radveil::risk {

RiskAssessment assess_risk(const std::vector<std::string>& quasi_identifiers, const std::vector<PatientRecord>& records,
                           std::size_t k_threshold, std::size_t rarest) {
  RiskAssessment a;
  a.quasi_identifiers = quasi_identifiers;
  a.k_threshold = k_threshold;
  std::map<std::vector<std::string>, std::size_t> classes;
  for (const auto& r : records) {
    if (r.values.size() != quasi_identifiers.size())
      throw std::invalid_argument("a patient record has " + std::to_string(r.values.size()) + " values for " +
                                  std::to_string(quasi_identifiers.size()) + " quasi-identifiers");
    ++classes[r.values];
  }
  a.patients = records.size();
  a.classes = classes.size();
  if (records.empty()) return a;
  a.k = records.size();
  double risk_sum = 0;
  for (const auto& [values, size] : classes) {
    a.k = std::min(a.k, size);
    if (size < k_threshold) a.patients_below_threshold += size;
    risk_sum += static_cast<double>(size) * (1.0 / static_cast<double>(size));  // each of its records
  }
  a.share_below_threshold = static_cast<double>(a.patients_below_threshold) / static_cast<double>(a.patients);
  a.highest_prosecutor_risk = 1.0 / static_cast<double>(a.k);
  a.average_prosecutor_risk = risk_sum / static_cast<double>(a.patients);
  for (const auto& [values, size] : classes) a.rarest.push_back({values, size});
  std::stable_sort(a.rarest.begin(), a.rarest.end(), [](const Combination& x, const Combination& y) { return x.patients < y.patients; });
  if (a.rarest.size() > rarest) a.rarest.resize(rarest);
  return a;
}

}  // namespace radveil::risk
