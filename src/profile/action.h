#pragma once
// Resolving the action for one attribute: the standard's row plus the selected options, or the
// rule for attributes the table does not name ("remove what is not known to be safe").
#include <cstdint>
#include <string_view>

#include "profile/options.h"
#include "profile/profile_table.h"

namespace radveil::profile {

enum class ActionKind {
  Remove,  // X
  Empty,   // Z: zero-length value (sequences: no items)
  Dummy,   // D: a non-empty value that identifies nobody (sequences: items processed recursively)
  Keep,    // K (sequences: items processed recursively)
  Clean,   // C: same meaning, identifying content removed (dates: shifted; sequences: recursive cleaning)
  NewUid,  // U: keyed replacement UID, identical everywhere the original occurs
};

struct Action {
  ActionKind kind;
  // For Clean: the option whose column said C (dates shift only under the modified-dates option).
  bool from_option = false;
  ProfileOption option = ProfileOption::RetainSafePrivate;
  bool operator==(const Action&) const = default;
};

// The action for a table row under the selected options. Combined codes resolve to the replacing
// action (X/Z -> Z, X/D, Z/D, X/Z/D -> D, X/Z/U* -> U): a dummy identifies nobody and keeps the
// attribute present for IODs that require it. Among selected options, K wins over C.
Action resolve(const ProfileRow& row, const OptionSet& options);

std::string_view action_code(ActionKind kind);

}  // namespace radveil::profile
