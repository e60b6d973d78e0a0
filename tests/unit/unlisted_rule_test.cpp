#include <gtest/gtest.h>

#include "profile/profile_table.h"
#include "profile/unlisted_rule.h"

using namespace radveil::profile;

TEST(UnlistedRule, SafeListsNeverOverrideTheStandardsTable) {
  // Every listed attribute must be absent from Table E.1-1, or the table would be overridden.
  for (const auto& row : table_e1_1()) {
    if (row.odd_group_row || row.group_mask != 0xFFFF || row.element_mask != 0xFFFF) continue;
    EXPECT_FALSE(is_listed_safe_text(row.group, row.element)) << row.name;
    EXPECT_FALSE(is_required_label(row.group, row.element)) << row.name;
    EXPECT_FALSE(is_class_uid_attribute(row.group, row.element)) << row.name;
  }
}

TEST(UnlistedRule, DecidesByVrAndRemovesWhatIsNotKnownSafe) {
  OptionSet none;
  UnlistedContext plain{none, SequenceMode::Plain};
  EXPECT_EQ(resolve_unlisted(0x0028, 0x0010, "US", plain).kind, ActionKind::Keep);       // Rows
  EXPECT_EQ(resolve_unlisted(0x0008, 0x0070, "LO", plain).kind, ActionKind::Keep);       // Manufacturer
  // Implicit-VR input leaves some binary VRs ambiguous: a palette descriptor must survive.
  EXPECT_EQ(resolve_unlisted(0x0028, 0x1101, "xs", plain).kind, ActionKind::Keep);
  EXPECT_EQ(resolve_unlisted(0x0028, 0x3006, "lt", plain).kind, ActionKind::Keep);       // LUT Data
  EXPECT_EQ(resolve_unlisted(0x0018, 0x9999, "LO", plain).kind, ActionKind::Empty);      // unknown text
  EXPECT_EQ(resolve_unlisted(0x0018, 0x9999, "PN", plain).kind, ActionKind::Empty);
  EXPECT_EQ(resolve_unlisted(0x0018, 0x9999, "UN", plain).kind, ActionKind::Remove);
  EXPECT_EQ(resolve_unlisted(0x0018, 0x0000, "UL", plain).kind, ActionKind::Remove);     // group length
  EXPECT_EQ(resolve_unlisted(0x0008, 0x1150, "UI", plain).kind, ActionKind::Keep);       // a class UID
  EXPECT_EQ(resolve_unlisted(0x0020, 0x9161, "UI", plain).kind, ActionKind::NewUid);     // an instance UID
  EXPECT_EQ(resolve_unlisted(0x0018, 0x9999, "DA", plain).kind, ActionKind::Empty);
  UnlistedContext cleaning{none, SequenceMode::Clean}, dummy{none, SequenceMode::Dummy};
  EXPECT_EQ(resolve_unlisted(0x0040, 0xA160, "UT", cleaning).kind, ActionKind::Clean);   // SR text, cleaned
  EXPECT_EQ(resolve_unlisted(0x0040, 0xA160, "UT", dummy).kind, ActionKind::Dummy);
  EXPECT_EQ(resolve_unlisted(0x0062, 0x0005, "LO", plain).kind, ActionKind::Clean);      // Segment Label

  OptionSet modified;
  modified.add(ProfileOption::RetainLongModifiedDates);
  EXPECT_EQ(resolve_unlisted(0x0018, 0x9999, "DA", UnlistedContext{modified, SequenceMode::Plain}).kind,
            ActionKind::Clean);
}
