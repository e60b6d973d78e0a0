#include "profile/options.h"

#include <stdexcept>

namespace radveil::profile {

const std::array<OptionInfo, kProfileOptionCount>& all_options() {
  static const std::array<OptionInfo, kProfileOptionCount> kOptions{{
      {ProfileOption::RetainSafePrivate, "retain-safe-private", "113111", "Retain Safe Private Option"},
      {ProfileOption::RetainUids, "retain-uids", "113110", "Retain UIDs Option"},
      {ProfileOption::RetainDeviceIdentity, "retain-device-identity", "113109", "Retain Device Identity Option"},
      {ProfileOption::RetainInstitutionIdentity, "retain-institution-identity", "113112",
       "Retain Institution Identity Option"},
      {ProfileOption::RetainPatientCharacteristics, "retain-patient-characteristics", "113108",
       "Retain Patient Characteristics Option"},
      {ProfileOption::RetainLongFullDates, "retain-long-full-dates", "113106",
       "Retain Longitudinal Temporal Information Full Dates Option"},
      {ProfileOption::RetainLongModifiedDates, "retain-long-modified-dates", "113107",
       "Retain Longitudinal Temporal Information Modified Dates Option"},
      {ProfileOption::CleanDescriptors, "clean-descriptors", "113105", "Clean Descriptors Option"},
      {ProfileOption::CleanStructuredContent, "clean-structured-content", "113104",
       "Clean Structured Content Option"},
      {ProfileOption::CleanGraphics, "clean-graphics", "113103", "Clean Graphics Option"},
  }};
  return kOptions;
}

std::optional<ProfileOption> option_from_name(std::string_view cli_name) {
  for (const auto& info : all_options())
    if (info.cli_name == cli_name) return info.option;
  return std::nullopt;
}

const OptionInfo& option_info(ProfileOption option) {
  return all_options().at(static_cast<std::size_t>(option));
}

std::vector<ProfileOption> OptionSet::list() const {
  std::vector<ProfileOption> out;
  for (const auto& info : all_options())
    if (has(info.option)) out.push_back(info.option);
  return out;
}

std::optional<std::string> OptionSet::conflict() const {
  if (has(ProfileOption::RetainLongFullDates) && has(ProfileOption::RetainLongModifiedDates))
    return "retain-long-full-dates and retain-long-modified-dates exclude each other: choose one";
  return std::nullopt;
}

}  // namespace radveil::profile
