// Each recipient's key comes from the site key and the recipient's ID alone.
#include <gtest/gtest.h>

#include "pseudonym/pseudonymizer.h"
#include "pseudonym/recipient_key.h"

namespace radveil::pseudonym {

TEST(RecipientKey, IsStableDiffersPerRecipientAndIsNotTheSiteKey) {
  std::array<std::uint8_t, SecretKey::kBytes> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 1);
  const SecretKey site = SecretKey::from_bytes(bytes);
  const SecretKey a = recipient_key(site, "lab-a"), a_again = recipient_key(site, "lab-a"), b = recipient_key(site, "ai-co");
  EXPECT_EQ(a.bytes(), a_again.bytes());
  EXPECT_NE(a.bytes(), b.bytes());
  EXPECT_NE(a.bytes(), site.bytes());
  EXPECT_NE(Pseudonymizer(a).uid("1.2.3"), Pseudonymizer(b).uid("1.2.3"));
  bytes[0] ^= 1;  // another site
  EXPECT_NE(recipient_key(SecretKey::from_bytes(bytes), "lab-a").bytes(), a.bytes());
}

}  // namespace radveil::pseudonym
