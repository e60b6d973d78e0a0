// Identity found by its shape in free text, over generated variation: names made of random
// syllables behind each kind of announcement, phone numbers and dates in every written form,
// and, the other way round, random pseudonym tokens and clinical phrases that must not be taken
// for identity.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "scan/text_patterns.h"

namespace radveil::scan {
namespace {

class Variation {
 public:
  explicit Variation(unsigned seed) : rng_(seed) {}
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + between(i == 0 ? 1 : 0, 9));
    return s;
  }
  // A made-up name: two or three syllables, capitalised or upper-case.
  std::string name(bool upper_case) {
    static const char* kSyllables[] = {"ka", "lo", "mi", "ran", "tse", "vo", "ber", "dun", "el", "sha", "qui", "yor", "zan", "fen", "ho"};
    std::string s;
    const int n = between(2, 3);
    for (int i = 0; i < n; ++i) s += kSyllables[between(0, 14)];
    for (std::size_t i = 0; i < s.size(); ++i)
      if (upper_case || i == 0) s[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i])));
    return s;
  }
  std::string pick(const std::vector<std::string>& options) { return options[static_cast<std::size_t>(between(0, static_cast<int>(options.size()) - 1))]; }

 private:
  std::mt19937 rng_;
};

bool found(const std::string& text, std::string_view kind) {
  for (const auto& m : find_identity_in_text(text))
    if (m.kind == kind) return true;
  ADD_FAILURE() << "no " << kind << " in: " << text;
  return false;
}

// The share of `n` generated texts in which `kind` is found.
template <typename Make>
double rate(int n, std::string_view kind, Make make) {
  int hits = 0;
  for (int i = 0; i < n; ++i) hits += found(make(), kind);
  return static_cast<double>(hits) / n;
}

TEST(TextPatterns, NamesAnnouncedByTitleRoleOrDicomFormAreFoundInEveryVariant) {
  Variation v(11);
  const double r = rate(2000, "person-name", [&] {
    const std::string family = v.name(v.between(0, 1)), given = v.name(v.between(0, 1));
    return v.pick({"Seen by Dr. " + family + " today.", "Patient " + given + " " + family + " arrived late",
                   "Report signed by " + given + " " + family, "tech " + family + " moved the table",
                   "ref " + family + "^" + given + "^^", "Mrs " + family + " called", "Operator: " + family});
  });
  EXPECT_EQ(r, 1.0);
}

TEST(TextPatterns, PhoneNumbersInCommonFormsAreFound) {
  Variation v(12);
  const double r = rate(2000, "phone", [&] {
    return "call " + v.pick({"+1-" + v.digits(3) + "-" + v.digits(3) + "-" + v.digits(4),
                             "(" + v.digits(3) + ") " + v.digits(3) + "-" + v.digits(4),
                             v.digits(3) + "." + v.digits(3) + "." + v.digits(4),
                             "+44 20 " + v.digits(4) + " " + v.digits(4), "0" + v.digits(4) + " " + v.digits(6),
                             "+49 (0)" + v.digits(2) + " " + v.digits(7)}) +
           " after six";
  });
  EXPECT_EQ(r, 1.0);
}

TEST(TextPatterns, DatesInEveryCommonWrittenFormAreFound) {
  Variation v(13);
  static const std::vector<std::string> kMonths = {"January", "Feb", "March", "Apr", "May", "June", "Jul", "August", "Sep", "October", "Nov", "December"};
  const double r = rate(3000, "date-in-text", [&] {
    char y[8], m[4], d[4];
    std::snprintf(y, sizeof y, "%d", v.between(1920, 2030));
    std::snprintf(m, sizeof m, "%02d", v.between(1, 12));
    std::snprintf(d, sizeof d, "%02d", v.between(1, 28));
    const std::string month = kMonths[static_cast<std::size_t>(std::stoi(m) - 1)];
    return "compared with " +
           v.pick({std::string(y) + m + d, std::string(y) + "-" + m + "-" + d, std::string(d) + "." + m + "." + y,
                   std::string(m) + "/" + d + "/" + y, std::string(d) + "/" + m + "/" + std::string(y).substr(2),
                   std::string(d) + " " + month + " " + y, month + " " + d + ", " + y, std::string(d) + "-" + month.substr(0, 3) + "-" + y}) +
           ", stable";
  });
  EXPECT_EQ(r, 1.0);
}

TEST(TextPatterns, EmailsIdsAddressesAndOldAgesAreFound) {
  Variation v(14);
  EXPECT_EQ(rate(1000, "email", [&] { return "mail " + v.name(false) + "." + v.name(false) + "@" + v.name(false) + ".org please"; }), 1.0);
  EXPECT_EQ(rate(1000, "id-in-text", [&] { return "record " + v.pick({"MRN", "ACC", "", "PID-", "H"}) + v.digits(v.between(6, 10)) + " noted"; }), 1.0);
  EXPECT_EQ(rate(1000, "address", [&] {
              return "lives at " + std::to_string(v.between(1, 9999)) + " " + v.name(false) + " " +
                     v.pick({"Street", "Road", "Avenue", "Lane", "St", "Rd", "Drive", "Way"}) + ", " + v.name(false);
            }),
            1.0);
  EXPECT_EQ(rate(1000, "age-over-89", [&] {
              const std::string n = std::to_string(v.between(90, 110));
              return v.pick({n + "-year-old woman", n + " y/o man", "aged " + n, "age: " + n, n + " years old"});
            }),
            1.0);
}

// The share of 100,000 random 16-character tokens over `alphabet` taken for identifiers.
double id_like_rate(const std::string& alphabet, unsigned seed) {
  std::mt19937 rng(seed);
  int taken = 0;
  constexpr int kTokens = 100000;
  for (int i = 0; i < kTokens; ++i) {
    std::string token;
    for (int k = 0; k < 16; ++k) token += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
    taken += is_id_like_token(token);
  }
  return static_cast<double>(taken) / kTokens;
}

TEST(TextPatterns, RandomPseudonymTokensAreAlmostNeverTakenForIdentifiers) {
  // radveil's pseudonyms are 16-character Crockford base32 tokens; other tools use base36 or hex.
  // A token must be at least half digits in at most two blocks to look like an ID: measured, 0 of
  // 100,000 base32 and base36 tokens. A hex token is all digits one time in (16/10)^16 = 1,845:
  // it is then a 16-digit number and reported as one; with the two-block shapes, 0.23% measured.
  EXPECT_LT(id_like_rate("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 15), 1e-4);
  EXPECT_LT(id_like_rate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 16), 1e-4);
  EXPECT_LT(id_like_rate("0123456789abcdef", 17), 5e-3);
}

TEST(TextPatterns, ClinicalTextAndNumbersAreNotIdentity) {
  for (const std::string text :
       {"No acute intracranial findings. Slice thickness 5 mm, 120 kV, 250 mAs.", "T1 MPRAGE sagittal 1.0 mm iso",
        "Contrast: 100 ml Omnipaque 350 at 3 ml/s", "Window 40/80, HU range -1000 to 3000", "syngo MR E11 VA20B",
        "Axial head, 512 x 512, 0.488 mm pixels", "Patient position HFS", "Dr. reviewed the protocol",
        "radveil 0.1.0 PS3.15 Basic Profile", "Series 2 of 3, images 1-48", "CTDIvol 45.3 mGy, DLP 812 mGy*cm",
        "Follow-up in 6 months", "1.2.840.10008.5.1.4.1.1.2"}) {
    EXPECT_TRUE(find_identity_in_text(text).empty()) << text << ": " << find_identity_in_text(text).front().kind;
  }
}

TEST(TextPatterns, PersonNameValuesAreNamesUnlessPlaceholdersOrPseudonyms) {
  EXPECT_TRUE(is_person_name_value("DOE^JANE"));
  EXPECT_TRUE(is_person_name_value("MÜLLER^JÜRGEN^^DR"));
  EXPECT_TRUE(is_person_name_value("Yamada^Tarou=山田^太郎"));
  EXPECT_FALSE(is_person_name_value("RV7K2M9QX4HT8Z2P^ANON"));
  EXPECT_FALSE(is_person_name_value("ANONYMIZED^ANONYMIZED"));
  EXPECT_FALSE(is_person_name_value(""));
  EXPECT_TRUE(is_placeholder("REMOVED"));
  EXPECT_FALSE(is_placeholder("Princeton General"));
}

TEST(TextPatterns, FileNamesWithDatesAndIdsAreFoundUidNamesAreNot) {
  EXPECT_FALSE(find_identity_in_path_component("0_SMITH_JOHN_MRN1234567").empty());
  EXPECT_FALSE(find_identity_in_path_component("CT_20190304").empty());
  EXPECT_TRUE(find_identity_in_path_component("2.25.11663134155863742915969085066680254237.dcm").empty());
  EXPECT_TRUE(find_identity_in_path_component("RVDJPECG8BZG9TF1").empty());
  EXPECT_TRUE(find_identity_in_path_component("IM0001.dcm").empty());
}

TEST(TextPatterns, AgesAndDatesAsAttributeValues) {
  EXPECT_TRUE(is_age_over_89("093Y"));
  EXPECT_FALSE(is_age_over_89("089Y"));
  EXPECT_FALSE(is_age_over_89("095M"));
  EXPECT_TRUE(is_real_date("20190304"));
  EXPECT_FALSE(is_real_date("19000101"));
  EXPECT_FALSE(is_real_date(""));
}

}  // namespace
}  // namespace radveil::scan
