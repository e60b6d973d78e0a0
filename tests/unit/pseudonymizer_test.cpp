#include <gtest/gtest.h>

#include <set>

#include "pseudonym/pseudonymizer.h"

using radveil::pseudonym::Pseudonymizer;
using radveil::pseudonym::SecretKey;

namespace {
SecretKey key_of(std::uint8_t fill) {
  std::array<std::uint8_t, 32> bytes{};
  bytes.fill(fill);
  return SecretKey::from_bytes(bytes);
}
}  // namespace

TEST(Pseudonymizer, UidsAreValid225UidsDerivedFromTheOriginalAndTheKey) {
  Pseudonymizer a(key_of(1)), b(key_of(2));
  const std::string original = "1.2.826.0.1.3680043.10.99.123456";
  const std::string uid = a.uid(original);
  EXPECT_EQ(uid.rfind("2.25.", 0), 0u);
  EXPECT_LE(uid.size(), 64u);
  EXPECT_EQ(uid.find_first_not_of("0123456789.", 0), std::string::npos);
  EXPECT_NE(uid[5], '0');  // no leading zero in a UID component
  EXPECT_EQ(uid, Pseudonymizer(key_of(1)).uid(original)) << "same key, same UID";
  EXPECT_NE(uid, b.uid(original)) << "another key, another UID";
  EXPECT_NE(uid, a.uid(original + "7"));
}

TEST(Pseudonymizer, TokensUseCrockfordBase32AndDependOnDomain) {
  Pseudonymizer p(key_of(3));
  const std::string t = p.token("patient", "id:MRN1^", 14);
  EXPECT_EQ(t.size(), 14u);
  EXPECT_EQ(t.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), std::string::npos);
  EXPECT_NE(t, p.token("accession", "id:MRN1^", 14));
}

TEST(Pseudonymizer, DateShiftIsPerPatientAndWithinOneToTenYearsBack) {
  Pseudonymizer p(key_of(4));
  std::set<int> seen;
  for (int i = 0; i < 200; ++i) {
    const int d = p.date_shift_days("id:P" + std::to_string(i));
    EXPECT_LE(d, -Pseudonymizer::kMinShiftDays);
    EXPECT_GE(d, -Pseudonymizer::kMaxShiftDays);
    seen.insert(d);
  }
  EXPECT_GT(seen.size(), 150u) << "shifts should differ between patients";
  EXPECT_EQ(p.date_shift_days("id:P1"), p.date_shift_days("id:P1"));
}
