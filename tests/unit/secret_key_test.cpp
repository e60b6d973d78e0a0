#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "pseudonym/secret_key.h"
#include "support/test_support.h"

using radveil::pseudonym::KeyError;
using radveil::pseudonym::SecretKey;

TEST(SecretKey, NewKeyFileIsPrivateRandomAndNeverOverwritten) {
  radveil::test::TempDir dir;
  const auto a = dir / "a.key", b = dir / "b.key";
  SecretKey::create_file(a);
  SecretKey::create_file(b);
  struct stat st {};
  ASSERT_EQ(::stat(a.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(SecretKey::load_file(a).bytes(), SecretKey::load_file(b).bytes());
  EXPECT_THROW(SecretKey::create_file(a), KeyError);
}

TEST(SecretKey, RefusesKeysOthersCanReadAndMalformedKeys) {
  radveil::test::TempDir dir;
  const auto k = dir / "k.key";
  SecretKey::create_file(k);
  ::chmod(k.c_str(), 0644);
  try {
    SecretKey::load_file(k);
    FAIL() << "a world-readable key was accepted";
  } catch (const KeyError& e) {
    EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos);
  }
  const auto bad = dir / "bad.key";
  std::ofstream(bad) << "not a key\n";
  ::chmod(bad.c_str(), 0600);
  EXPECT_THROW(SecretKey::load_file(bad), KeyError);
}
