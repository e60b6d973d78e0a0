// Quasi-identifiers as the risk assessment counts them: banded from the header, gathered per
// patient.
#include <dcmtk/dcmdata/dctk.h>
#include <gtest/gtest.h>

#include "risk/quasi_identifiers.h"

namespace radveil::risk {
namespace {

DcmDataset instance(const char* patient, const char* age, const char* sex, const char* study_date, const char* modality) {
  DcmDataset ds;
  ds.putAndInsertString(DCM_PatientID, patient);
  if (*age) ds.putAndInsertString(DCM_PatientAge, age);
  ds.putAndInsertString(DCM_PatientSex, sex);
  ds.putAndInsertString(DCM_StudyDate, study_date);
  ds.putAndInsertString(DCM_Modality, modality);
  return ds;
}

TEST(QuasiIdentifiers, AgesAreBandedAndOver89Aggregated) {
  auto a = instance("P", "045Y", "F", "20190304", "CT");
  EXPECT_EQ(quasi_value(a, "age-band"), "40-49");
  auto b = instance("P", "093Y", "F", "20190304", "CT");
  EXPECT_EQ(quasi_value(b, "age-band"), "90+");
  auto c = instance("P", "018M", "F", "20190304", "CT");
  EXPECT_EQ(quasi_value(c, "age-band"), "0-9");
  // Without Patient's Age: from Birth Date and Study Date, the birthday not yet reached.
  auto d = instance("P", "", "M", "20190304", "CT");
  d.putAndInsertString(DCM_PatientBirthDate, "19690305");
  EXPECT_EQ(quasi_value(d, "age-band"), "40-49");  // 49 years, 364 days
  d.putAndInsertString(DCM_PatientBirthDate, "19690304");
  EXPECT_EQ(quasi_value(d, "age-band"), "50-59");
}

TEST(QuasiIdentifiers, HeightWeightAndYearAreBandedOthersAsWritten) {
  auto ds = instance("P", "045Y", "F ", "20190304", "MR");
  ds.putAndInsertString(DCM_PatientSize, "1.72");
  ds.putAndInsertString(DCM_PatientWeight, "68.5");
  EXPECT_EQ(quasi_value(ds, "height-band"), "170-179 cm");
  EXPECT_EQ(quasi_value(ds, "weight-band"), "60-69 kg");
  EXPECT_EQ(quasi_value(ds, "study-year"), "2019");
  EXPECT_EQ(quasi_value(ds, "sex"), "F");
  EXPECT_EQ(quasi_value(ds, "body-part"), "") << "absent is a value too";
}

TEST(QuasiIdentifiers, APatientWithSeveralStudiesHasTheSetOfItsValues) {
  QuasiIdentifierTable table(parse_quasi_identifiers("sex, study-year, modality"));
  for (auto ds : {instance("A", "045Y", "F", "20190304", "CT"), instance("A", "046Y", "F", "20200101", "CT"),
                  instance("B", "045Y", "M", "20190304", "MR")})
    table.add(ds);
  const auto records = table.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].values, (std::vector<std::string>{"F", "2019|2020", "CT"}));
  EXPECT_EQ(records[1].values, (std::vector<std::string>{"M", "2019", "MR"}));
}

TEST(QuasiIdentifiers, UnknownNamesAreRefusedByName) {
  EXPECT_THROW(parse_quasi_identifiers("sex,zip-code"), std::invalid_argument);
  EXPECT_THROW(parse_quasi_identifiers(" , "), std::invalid_argument);
  EXPECT_EQ(parse_quasi_identifiers("sex").size(), 1u);
}

}  // namespace
}  // namespace radveil::risk
