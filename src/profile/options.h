#pragma once
// The header options of PS3.15 Annex E, by the names users type on the command line.
#include <array>
#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace radveil::profile {

// Order matches the option columns of the generated table (tools/gen_profile_tables.py).
enum class ProfileOption : std::size_t {
  RetainSafePrivate,
  RetainUids,
  RetainDeviceIdentity,
  RetainInstitutionIdentity,
  RetainPatientCharacteristics,
  RetainLongFullDates,
  RetainLongModifiedDates,
  CleanDescriptors,
  CleanStructuredContent,
  CleanGraphics,
};
inline constexpr std::size_t kProfileOptionCount = 10;

struct OptionInfo {
  ProfileOption option;
  std::string_view cli_name;     // e.g. "retain-uids"
  std::string_view code;         // CID 7050 code value, e.g. "113110"
  std::string_view code_meaning; // CID 7050 code meaning
};

// All header options with their CID 7050 codes, in table order.
const std::array<OptionInfo, kProfileOptionCount>& all_options();
std::optional<ProfileOption> option_from_name(std::string_view cli_name);
const OptionInfo& option_info(ProfileOption option);

class OptionSet {
 public:
  OptionSet() = default;
  void add(ProfileOption o) { bits_.set(static_cast<std::size_t>(o)); }
  bool has(ProfileOption o) const { return bits_.test(static_cast<std::size_t>(o)); }
  bool empty() const { return bits_.none(); }
  std::vector<ProfileOption> list() const;
  // The two longitudinal options exclude each other; returns an explanation when the set is invalid.
  std::optional<std::string> conflict() const;

 private:
  std::bitset<kProfileOptionCount> bits_;
};

}  // namespace radveil::profile
