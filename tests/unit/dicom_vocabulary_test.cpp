// A person's name can be a word of the DICOM vocabulary (a patient "Quarter^Head", whose CT keeps
// FilterType "HEAD FILTER"). Such a word found alone is still reported, at medium; anything else
// of the original's is high as before.
#include <gtest/gtest.h>

#include "scan/dicom_vocabulary.h"

namespace radveil::scan {
namespace {

deid::IdentifyingValues original_named(std::string_view name) {
  deid::IdentifyingValues v;
  v.add_person_name(name);
  v.add_identifier("VTK0001");
  v.add_date("19710304");
  return v;
}

TEST(DicomVocabulary, IsTheWordsOfThePublicAttributeNames) {
  for (const char* word : {"HEAD", "FILTER", "FIELD", "PATIENT", "BIRTH", "CONVOLUTION", "KERNEL"})
    EXPECT_TRUE(is_dicom_vocabulary_word(word)) << word;
  for (const char* word : {"SMITH", "MARIA", "OKAFOR", "TANAKA", "QUARTER", "HE", "head"})
    EXPECT_FALSE(is_dicom_vocabulary_word(word)) << word;
}

TEST(DicomVocabulary, ANameWordThatIsAVocabularyWordAloneIsAMediumFinding) {
  const auto original = original_named("Quarter^Head");
  const auto found = source_value_finding(original, "HEAD FILTER");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->kind, "source-name-word");
  EXPECT_EQ(found->severity, Severity::Medium);
}

TEST(DicomVocabulary, ANameWordOfOneOrTwoLettersAloneIsAMediumFinding) {
  // pydicom's ultrasound test patient is named "OB"; its preset "OB_GENERAL" is obstetrics.
  const auto original = original_named("OB^Jo");
  for (const char* text : {"OB_GENERAL", "JO"}) {
    const auto found = source_value_finding(original, text);
    ASSERT_TRUE(found) << text;
    EXPECT_EQ(found->kind, "source-name-word") << text;
    EXPECT_EQ(found->severity, Severity::Medium) << text;
  }
  const auto with_id = source_value_finding(original, "OB_GENERAL VTK0001");
  ASSERT_TRUE(with_id);
  EXPECT_EQ(with_id->severity, Severity::High) << "anything else of the original beside it stays high";
}

TEST(DicomVocabulary, AnyOtherValueOfTheOriginalStaysHigh) {
  const auto original = original_named("Quarter^Head");
  for (const char* text : {"CT for Quarter", "Head Quarter", "HEAD FILTER VTK0001", "scanned 1971-03-04, head"}) {
    const auto found = source_value_finding(original, text);
    ASSERT_TRUE(found) << text;
    EXPECT_EQ(found->kind, "source-value") << text;
    EXPECT_EQ(found->severity, Severity::High) << text;
  }
  EXPECT_FALSE(source_value_finding(original, "CT of the skull"));
  EXPECT_FALSE(source_value_finding(original, "HEADS"));  // whole words only
}

}  // namespace
}  // namespace radveil::scan
