#include <gtest/gtest.h>

#include "deid/identifying_values.h"
#include "deid/text_cleaner.h"

using namespace radveil::deid;

namespace {
IdentifyingValues sample() {
  IdentifyingValues v;
  v.add_person_name("DOE^JOHN^^DR");
  v.add_identifier("MRN4242424");
  v.add_identifier("12 Elm Street, Springfield");
  v.add_date("19620314");
  return v;
}
}  // namespace

TEST(IdentifyingValues, FindsNamesAsWordsIdentifiersAnywhereAndDatesInWrittenForms) {
  const auto v = sample();
  EXPECT_TRUE(v.found_in("seen by john doe"));
  EXPECT_FALSE(v.found_in("DOEBLING test")) << "name parts match whole words only";
  EXPECT_FALSE(v.found_in("Dr. House")) << "titles are not identifying";
  EXPECT_TRUE(v.found_in("ref:MRN4242424/2"));
  EXPECT_TRUE(v.found_in("lives in Springfield"));
  EXPECT_TRUE(v.found_in("born 14.03.1962"));
  EXPECT_TRUE(v.found_in("born 1962-03-14"));
  EXPECT_FALSE(v.found_in("CT HEAD WITHOUT CONTRAST"));
}

TEST(TextCleaner, RemovesIdentifyingValuesDatesLongNumbersAndEmailsButKeepsMeaning) {
  const auto cleaned = clean_text("John Doe MRN4242424 seen 03/04/2021, tel 555 123 4567, a@b.org: 5 mm nodule", sample());
  EXPECT_EQ(cleaned.find("John"), std::string::npos);
  EXPECT_EQ(cleaned.find("Doe"), std::string::npos);
  EXPECT_EQ(cleaned.find("4242424"), std::string::npos);
  EXPECT_EQ(cleaned.find("2021"), std::string::npos);
  EXPECT_EQ(cleaned.find("4567"), std::string::npos);
  EXPECT_EQ(cleaned.find("a@b.org"), std::string::npos);
  EXPECT_NE(cleaned.find("5 mm nodule"), std::string::npos) << cleaned;
}
