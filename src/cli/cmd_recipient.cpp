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

void add_recipient_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("recipient", "register and list the recipients exports may go to");
  cmd->require_subcommand(1);
  auto state = std::make_shared<StateArgs>();
  add_state_flag(*cmd, *state);

  auto* add = cmd->add_subcommand("add", "register a recipient");
  auto r = std::make_shared<consent::Recipient>();
  add->add_option("ID", r->id, "recipient ID: letters, digits, '.', '-', '_' (used in consents and key derivation)")->required();
  add->add_option("--name", r->name, "the recipient's name, as an accounting of disclosures prints it")->required();
  add->add_option("--address", r->address, "postal address");
  add->add_option("--contact", r->contact, "a contact (person, e-mail)");
  add->add_option("--agreement", r->agreement, "the data use agreement's reference");
  add_state_flag(*add, *state);
  add->callback([state, r] {
    if (!consent::valid_recipient_id(r->id))
      throw CommandFailure{2, "a recipient ID is 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit"};
    if (r->name.empty()) throw CommandFailure{2, "--name must not be empty"};
    auto store = open_store(*state);
    try {
      const auto result = store->add_recipient(*r);
      std::printf("%s %s\n", result == store::PutResult::Added ? "registered" : "already registered, unchanged:", r->id.c_str());
    } catch (const store::StoreError& e) {
      throw CommandFailure{2, e.what()};
    }
  });

  auto* list = cmd->add_subcommand("list", "list the registered recipients");
  add_state_flag(*list, *state);
  list->callback([state] {
    auto store = open_store(*state);
    const auto all = store->recipients();
    if (all.empty()) std::printf("no recipients registered (radveil recipient add ID --name NAME)\n");
    for (const auto& r : all) std::printf("%-24s %s\n", r.id.c_str(), r.name.c_str());
  });

  auto* show = cmd->add_subcommand("show", "show one recipient");
  auto id = std::make_shared<std::string>();
  show->add_option("ID", *id, "recipient ID")->required();
  add_state_flag(*show, *state);
  show->callback([state, id] {
    auto store = open_store(*state);
    const auto r = store->recipient(*id);
    if (!r) throw CommandFailure{2, "no recipient " + *id + " is registered"};
    print(*r);
  });
}

}  // namespace radveil::cli
