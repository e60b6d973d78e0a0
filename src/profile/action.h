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

// What the engine knows of a sequence when it resolves an action for it.
struct SequenceShape {
  bool empty = false;             // it has no items
  bool type2_in_this_iod = false; // see type2_sequences.h
};

// The action for a table row under the selected options. Among selected options, K wins over C.
// Combined codes resolve to the replacing action (X/Z -> Z; X/D, Z/D, X/Z/D -> D; X/Z/U* -> U):
// a dummy identifies nobody and keeps the attribute present for IODs that require it.
// For a sequence (`sequence` given) X/Z, X/D and X/Z/D resolve differently: an empty sequence
// stays empty (it identifies nobody); one that is Type 2 in this instance's IOD is emptied (Z);
// any other is removed (X), because the Type 3 macros these sequences sit in require 1-n items,
// and a "dummy" sequence would keep its items' codes (an institution's code is its identity).
Action resolve(const ProfileRow& row, const OptionSet& options, const SequenceShape* sequence = nullptr);

std::string_view action_code(ActionKind kind);

}  // namespace radveil::profile
