// The generated table must be exactly PS3.15 Table E.1-1; masks must find their rows.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "profile/profile_table.h"
#include "support/test_support.h"

using namespace radveil::profile;

TEST(ProfileTable, HoldsAll621RowsOfTableE11) { EXPECT_EQ(table_e1_1().size(), 621u); }

TEST(ProfileTable, FindsExactTagsAndMaskedGroups) {
  ASSERT_NE(find_row(0x0010, 0x0010), nullptr);
  EXPECT_EQ(find_row(0x0010, 0x0010)->name, "Patient's Name");
  ASSERT_NE(find_row(0x6002, 0x3000), nullptr);
  EXPECT_EQ(find_row(0x6002, 0x3000)->name, "Overlay Data");
  ASSERT_NE(find_row(0x601E, 0x4000), nullptr);
  EXPECT_EQ(find_row(0x601E, 0x4000)->name, "Overlay Comments");
  ASSERT_NE(find_row(0x5010, 0x0022), nullptr);
  EXPECT_EQ(find_row(0x5010, 0x0022)->name, "Curve Data");
  EXPECT_EQ(find_row(0x0028, 0x0010), nullptr);  // Rows: not in the table
  EXPECT_TRUE(private_attributes_row().odd_group_row);
}

// Guards the generator: every row of the standard's JSON is in the table with the same actions.
TEST(ProfileTable, MatchesTheStandardsJsonRowByRow) {
  const auto corpus = radveil::test::corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared is absent";
  const auto file = corpus->parent_path() / "standard" / "ps3.15-table-e1-1.json";
  const auto rows = nlohmann::json::parse(std::ifstream(file));
  ASSERT_EQ(rows.size(), table_e1_1().size());
  const std::map<std::string, BasicAction> basic = {
      {"D", BasicAction::D},     {"Z", BasicAction::Z},     {"X", BasicAction::X},   {"K", BasicAction::K},
      {"C", BasicAction::C},     {"U", BasicAction::U},     {"Z/D", BasicAction::ZD}, {"X/Z", BasicAction::XZ},
      {"X/D", BasicAction::XD},  {"X/Z/D", BasicAction::XZD}, {"X/Z/U*", BasicAction::XZU}};
  const char* columns[] = {"rtnSafePrivOpt", "rtnUIDsOpt", "rtnDevIdOpt", "rtnInstIdOpt", "rtnPatCharsOpt",
                           "rtnLongFullDatesOpt", "rtnLongModifDatesOpt", "cleanDescOpt", "cleanStructContOpt",
                           "cleanGraphOpt"};
  for (const auto& r : rows) {
    const std::string tag = r["tag"];
    const ProfileRow* row = nullptr;
    if (tag.find("ODD") != std::string::npos) {
      row = &private_attributes_row();
    } else {
      std::string g = tag.substr(1, 4), e = tag.substr(6, 4);
      for (auto* s : {&g, &e})
        for (char& c : *s)
          if (c == 'X' || c == 'x') c = '0';
      row = find_row(static_cast<std::uint16_t>(std::stoul(g, nullptr, 16)),
                     static_cast<std::uint16_t>(std::stoul(e, nullptr, 16)));
    }
    ASSERT_NE(row, nullptr) << tag;
    EXPECT_EQ(row->basic, basic.at(r["basicProfile"])) << tag;
    for (std::size_t i = 0; i < kProfileOptionCount; ++i) {
      OptionAction expected = OptionAction::None;
      if (r.contains(columns[i])) expected = r[columns[i]] == "K" ? OptionAction::K : OptionAction::C;
      EXPECT_EQ(row->options[i], expected) << tag << " " << columns[i];
    }
  }
}
