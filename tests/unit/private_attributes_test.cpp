#include <gtest/gtest.h>

#include "deid/header_deidentifier.h"
#include "dicom/values.h"
#include "support/dataset_builder.h"

using namespace radveil;

namespace {

struct Fixture {
  std::array<std::uint8_t, 32> bytes{};
  pseudonym::Pseudonymizer pseudo{pseudonym::SecretKey::from_bytes(bytes)};

  // A dataset with a safe GE attribute and an unsafe one in the same block, a wholly unknown
  // block, and the same again inside a sequence item.
  static void fill(DcmItem& item) {
    item.putAndInsertString(DcmTagKey(0x0019, 0x0010), "GEMS_ACQU_01");
    dicom::put_private(item, DcmTagKey(0x0019, 0x1023), EVR_DS, "GEMS_ACQU_01", "39.37");
    dicom::put_private(item, DcmTagKey(0x0019, 0x1099), EVR_LO, "GEMS_ACQU_01", "DOE JOHN");
    item.putAndInsertString(DcmTagKey(0x0029, 0x0010), "ACME SECRET 1.0");
    dicom::put_private(item, DcmTagKey(0x0029, 0x1001), EVR_LO, "ACME SECRET 1.0", "DOE^JOHN");
  }
};

}  // namespace

TEST(PrivateAttributes, AreAllRemovedByDefaultAtAnyDepth) {
  Fixture f;
  DcmDataset ds;
  ds.putAndInsertString(DCM_PatientName, "DOE^JOHN");
  Fixture::fill(ds);
  Fixture::fill(test::append_item(ds, DCM_ReferencedImageSequence));
  profile::OptionSet none;
  deid::HeaderDeidentifier(none, f.pseudo).apply(ds);
  for (Uint16 g : {0x0019, 0x0029}) {
    EXPECT_FALSE(ds.tagExists(DcmTagKey(g, 0x0010)));
    EXPECT_FALSE(ds.tagExists(DcmTagKey(g, 0x1001)));
  }
  DcmItem* nested = nullptr;
  ASSERT_TRUE(ds.findAndGetSequenceItem(DCM_ReferencedImageSequence, nested, 0).good());
  EXPECT_EQ(nested->card(), 0u);
}

TEST(PrivateAttributes, RetainSafePrivateKeepsOnlyListedAttributesWithTheirCreator) {
  Fixture f;
  DcmDataset ds;
  Fixture::fill(ds);
  Fixture::fill(test::append_item(ds, DCM_ReferencedImageSequence));
  profile::OptionSet options;
  options.add(profile::ProfileOption::RetainSafePrivate);
  deid::HeaderDeidentifier(options, f.pseudo).apply(ds);
  DcmItem* nested = nullptr;
  ASSERT_TRUE(ds.findAndGetSequenceItem(DCM_ReferencedImageSequence, nested, 0).good());
  for (DcmItem* item : {static_cast<DcmItem*>(&ds), nested}) {
    EXPECT_EQ(test::value_of(*item, DcmTagKey(0x0019, 0x0010)), "GEMS_ACQU_01");
    EXPECT_EQ(test::value_of(*item, DcmTagKey(0x0019, 0x1023)), "39.37");
    EXPECT_FALSE(item->tagExists(DcmTagKey(0x0019, 0x1099))) << "unsafe attribute in a safe block";
    EXPECT_FALSE(item->tagExists(DcmTagKey(0x0029, 0x0010))) << "creator of an emptied block";
    EXPECT_FALSE(item->tagExists(DcmTagKey(0x0029, 0x1001)));
  }
}
