// Re-identification risk against values computed by hand on a small table: 12 patients, 3
// quasi-identifiers (age band, sex, study year).
#include <gtest/gtest.h>

#include "risk/reidentification_risk.h"

namespace radveil::risk {
namespace {

// Classes, by hand:
//   (40-49, F, 2019) x4   (40-49, M, 2019) x3   (50-59, F, 2020) x2
//   (50-59, M, 2020) x1   (60-69, F, 2021) x1   (90+,   M, 2018) x1
// 12 patients, 6 classes; k = 1; for k = 3: the classes of 2, 1, 1, 1 hold 5 patients (5/12).
// Highest prosecutor risk 1/1 = 1; average = classes / patients = 6/12 = 0.5
// (= (4*1/4 + 3*1/3 + 2*1/2 + 1 + 1 + 1) / 12).
std::vector<PatientRecord> table() {
  std::vector<PatientRecord> r;
  const auto add = [&](int n, std::vector<std::string> v) {
    for (int i = 0; i < n; ++i) r.push_back({"P" + std::to_string(r.size()), v});
  };
  add(4, {"40-49", "F", "2019"});
  add(3, {"40-49", "M", "2019"});
  add(2, {"50-59", "F", "2020"});
  add(1, {"50-59", "M", "2020"});
  add(1, {"60-69", "F", "2021"});
  add(1, {"90+", "M", "2018"});
  return r;
}

const std::vector<std::string> kQuasi{"age band", "sex", "study year"};

TEST(ReidentificationRisk, MatchesTheHandComputedValues) {
  const RiskAssessment a = assess_risk(kQuasi, table(), 3);
  EXPECT_EQ(a.patients, 12u);
  EXPECT_EQ(a.classes, 6u);
  EXPECT_EQ(a.k, 1u);
  EXPECT_EQ(a.patients_below_threshold, 5u);
  EXPECT_DOUBLE_EQ(a.share_below_threshold, 5.0 / 12.0);
  EXPECT_DOUBLE_EQ(a.highest_prosecutor_risk, 1.0);
  EXPECT_DOUBLE_EQ(a.average_prosecutor_risk, 0.5);
}

TEST(ReidentificationRisk, RarestCombinationsComeFirstAndNameNoPatient) {
  const RiskAssessment a = assess_risk(kQuasi, table(), 3, 4);
  ASSERT_EQ(a.rarest.size(), 4u);
  EXPECT_EQ(a.rarest[0].patients, 1u);
  EXPECT_EQ(a.rarest[2].patients, 1u);
  EXPECT_EQ(a.rarest[3].patients, 2u);
  EXPECT_EQ(a.rarest[3].values, (std::vector<std::string>{"50-59", "F", "2020"}));
}

TEST(ReidentificationRisk, GeneralisingTheRareOnesRaisesK) {
  // Generalising the three single patients into neighbouring classes: three classes of 4.
  auto records = table();
  records[9].values = {"50-59", "F", "2020"};
  records[10].values = {"40-49", "M", "2019"};
  records[11].values = {"50-59", "F", "2020"};
  const RiskAssessment a = assess_risk(kQuasi, records, 2);
  EXPECT_EQ(a.classes, 3u);
  EXPECT_EQ(a.k, 4u);
  EXPECT_EQ(a.patients_below_threshold, 0u);
  EXPECT_DOUBLE_EQ(a.highest_prosecutor_risk, 0.25);
  EXPECT_DOUBLE_EQ(a.average_prosecutor_risk, 0.25);
}

TEST(ReidentificationRisk, ARecordWithTheWrongNumberOfValuesIsRefused) {
  EXPECT_THROW(assess_risk(kQuasi, {{"P", {"40-49", "F"}}}, 2), std::invalid_argument);
  EXPECT_EQ(assess_risk(kQuasi, {}, 2).k, 0u);
}

}  // namespace
}  // namespace radveil::risk
