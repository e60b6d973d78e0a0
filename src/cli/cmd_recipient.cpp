// `radveil recipient add|list|show`: the registry of those exports may go to.
#include <cstdio>

#include "cli/commands.h"
#include "cli/state_flags.h"
#include "consent/recipient.h"
#include "store/state_db.h"

namespace radveil::cli {
namespace {

void print(const consent::Recipient& r) {
  std::printf("%s\n  name: %s\n", r.id.c_str(), r.name.c_str());
  if (!r.address.empty()) std::printf("  address: %s\n", r.address.c_str());
  if (!r.contact.empty()) std::printf("  contact: %s\n", r.contact.c_str());
  if (!r.agreement.empty()) std::printf("  agreement: %s\n", r.agreement.c_str());
}

}  // namespace

void recipient_add(const StateArgs& state, const consent::Recipient& r) {
  if (!consent::valid_recipient_id(r.id))
    throw CommandFailure{2, "a recipient ID is 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit"};
  if (r.name.empty()) throw CommandFailure{2, "--name must not be empty"};
  auto store = open_store(state);
  try {
    const auto result = store->add_recipient(r);
    std::printf("%s %s\n", result == store::PutResult::Added ? "registered" : "already registered, unchanged:", r.id.c_str());
  } catch (const store::StoreError& e) {
    throw CommandFailure{2, e.what()};
  }
}

void recipient_list(const StateArgs& state) {
  auto store = open_store(state);
  const auto all = store->recipients();
  if (all.empty()) std::printf("no recipients registered (radveil recipient add ID --name NAME)\n");
  for (const auto& r : all) std::printf("%-24s %s\n", r.id.c_str(), r.name.c_str());
}

void recipient_show(const StateArgs& state, const std::string& id) {
  auto store = open_store(state);
  const auto r = store->recipient(id);
  if (!r) throw CommandFailure{2, "no recipient " + id + " is registered"};
  print(*r);
}

}  // namespace radveil::cli
