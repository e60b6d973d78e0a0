#include <gtest/gtest.h>

#include <set>

#include "deid/header_deidentifier.h"
#include "dicom/values.h"

using namespace radveil;

TEST(DeidMarker, RecordsTheProfileAndEveryOptionUsed) {
  std::array<std::uint8_t, 32> bytes{};
  pseudonym::Pseudonymizer pseudo(pseudonym::SecretKey::from_bytes(bytes));
  DcmDataset ds;
  ds.putAndInsertString(DCM_PatientName, "DOE^JOHN");
  profile::OptionSet options;
  options.add(profile::ProfileOption::RetainLongModifiedDates);
  options.add(profile::ProfileOption::CleanDescriptors);
  deid::HeaderDeidentifier(options, pseudo).apply(ds);
  EXPECT_EQ(dicom::get_string(ds, DCM_PatientIdentityRemoved), "YES");
  EXPECT_EQ(dicom::get_string(ds, DCM_LongitudinalTemporalInformationModified), "MODIFIED");
  std::set<std::string> codes;
  DcmItem* item = nullptr;
  for (int i = 0; ds.findAndGetSequenceItem(DCM_DeidentificationMethodCodeSequence, item, i).good(); ++i) {
    EXPECT_EQ(dicom::get_string(*item, DCM_CodingSchemeDesignator), "DCM");
    codes.insert(dicom::get_string(*item, DCM_CodeValue));
  }
  EXPECT_EQ(codes, (std::set<std::string>{"113100", "113107", "113105"}));
}
