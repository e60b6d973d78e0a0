#include <cstdio>

#include "cli/commands.h"
#include "pseudonym/secret_key.h"

namespace radveil::cli {

void add_key_command(CLI::App& app) {
  auto* key = app.add_subcommand("key", "manage pseudonymisation keys");
  key->require_subcommand(1);
  auto* create = key->add_subcommand("new", "write a new 256-bit random key to FILE (mode 0600; never overwrites)");
  auto file = std::make_shared<std::string>();
  create->add_option("FILE", *file, "key file to create")->required();
  create->callback([file] {
    try {
      pseudonym::SecretKey::create_file(*file);
    } catch (const pseudonym::KeyError& e) {
      throw CommandFailure{2, e.what()};
    }
    std::printf("wrote a new key to %s (mode 0600). Keep it secret: whoever holds it can link pseudonyms.\n",
                file->c_str());
  });
}

}  // namespace radveil::cli
