#include "profile/action.h"

namespace radveil::profile {

Action resolve(const ProfileRow& row, const OptionSet& options, const SequenceShape* sequence) {
  const Action* chosen = nullptr;
  Action clean{ActionKind::Clean};
  Action keep{ActionKind::Keep};
  for (const auto& info : all_options()) {
    if (!options.has(info.option)) continue;
    switch (row.options[static_cast<std::size_t>(info.option)]) {
      case OptionAction::K:
        keep = Action{ActionKind::Keep, true, info.option};
        chosen = &keep;
        break;
      case OptionAction::C:
        if (chosen == nullptr) {
          clean = Action{ActionKind::Clean, true, info.option};
          chosen = &clean;
        }
        break;
      case OptionAction::None:
        break;
    }
    if (chosen == &keep) return keep;
  }
  if (chosen != nullptr) return *chosen;
  if (sequence && (row.basic == BasicAction::XZ || row.basic == BasicAction::XD || row.basic == BasicAction::XZD)) {
    if (sequence->empty) return {ActionKind::Keep};
    return {sequence->type2_in_this_iod ? ActionKind::Empty : ActionKind::Remove};
  }
  switch (row.basic) {
    case BasicAction::D:
    case BasicAction::ZD:
    case BasicAction::XD:
    case BasicAction::XZD: return {ActionKind::Dummy};
    case BasicAction::Z:
    case BasicAction::XZ: return {ActionKind::Empty};
    case BasicAction::X: return {ActionKind::Remove};
    case BasicAction::K: return {ActionKind::Keep};
    case BasicAction::C: return {ActionKind::Clean};
    case BasicAction::U:
    case BasicAction::XZU: return {ActionKind::NewUid};
  }
  return {ActionKind::Remove};
}

std::string_view action_code(ActionKind kind) {
  switch (kind) {
    case ActionKind::Remove: return "X";
    case ActionKind::Empty: return "Z";
    case ActionKind::Dummy: return "D";
    case ActionKind::Keep: return "K";
    case ActionKind::Clean: return "C";
    case ActionKind::NewUid: return "U";
  }
  return "?";
}

}  // namespace radveil::profile
