#pragma once
// Re-identification risk of what a dataset keeps, counted per patient (one record per patient,
// the values of its quasi-identifiers). Records with equal values form an equivalence class; with
// the definitions ARX uses (prosecutor model):
//   - a record's risk is 1 / (size of its class);
//   - the highest risk is 1 / (smallest class);
//   - the average risk is the mean of the records' risks, which is classes / records;
//   - the dataset is k-anonymous for k = the smallest class.
// The rarest combinations are reported as combinations of values, never as patients.
#include <cstddef>
#include <string>
#include <vector>

namespace radveil::risk {

struct PatientRecord {
  std::string patient;              // who (stays inside: never in the result)
  std::vector<std::string> values;  // one per quasi-identifier, in the order of the names
};

struct Combination {
  std::vector<std::string> values;
  std::size_t patients = 0;
};

struct RiskAssessment {
  std::vector<std::string> quasi_identifiers;
  std::size_t patients = 0, classes = 0;
  std::size_t k = 0;                    // the smallest class (0 for no patients)
  std::size_t k_threshold = 0;          // the k asked for
  std::size_t patients_below_threshold = 0;  // in classes smaller than k_threshold
  double share_below_threshold = 0;
  double highest_prosecutor_risk = 0, average_prosecutor_risk = 0;
  std::vector<Combination> rarest;      // smallest classes first (ties: by values), at most `rarest`
};

// Records must each have one value per quasi-identifier (std::invalid_argument otherwise).
RiskAssessment assess_risk(const std::vector<std::string>& quasi_identifiers, const std::vector<PatientRecord>& records,
                           std::size_t k_threshold, std::size_t rarest = 10);

}  // namespace radveil::risk
