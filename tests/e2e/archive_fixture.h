#pragma once
// One synthetic archive, de-identified several ways through the CLI, shared by the e2e tests.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace radveil::test {

struct DeidRun {
  std::filesystem::path out, quarantine, report;
  CommandResult result;
};

class ArchiveTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  static DeidRun deid(const std::string& name, const std::filesystem::path& key, const std::string& extra);
  static std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir);
  // Planted strings of the given categories, in every encoding the archive may have used.
  static std::vector<std::string> planted_forms(const std::vector<std::string>& categories);
  // One value as it may be written: as planted, upper-cased, and in Latin-1.
  static std::vector<std::string> forms_of(const std::string& value);

  static inline std::unique_ptr<TempDir> dir;
  static inline std::filesystem::path archive, key_a, key_b;
  static inline nlohmann::json answer;
  static inline DeidRun basic, basic_again, other_key, rich;
};

}  // namespace radveil::test
