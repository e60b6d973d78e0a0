#include <gtest/gtest.h>

#include "profile/options.h"

using namespace radveil::profile;

TEST(Options, EveryOptionIsFoundByItsCommandLineName) {
  for (const auto& info : all_options()) {
    auto found = option_from_name(info.cli_name);
    ASSERT_TRUE(found.has_value()) << info.cli_name;
    EXPECT_EQ(*found, info.option);
  }
  EXPECT_FALSE(option_from_name("retain-everything").has_value());
}

TEST(Options, TheTwoLongitudinalOptionsExcludeEachOther) {
  OptionSet set;
  set.add(ProfileOption::RetainLongFullDates);
  EXPECT_FALSE(set.conflict());
  set.add(ProfileOption::RetainLongModifiedDates);
  EXPECT_TRUE(set.conflict());
}
