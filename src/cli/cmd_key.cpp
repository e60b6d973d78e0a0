#include <cstdio>

#include "cli/commands.h"
#include "pseudonym/secret_key.h"

namespace radveil::cli {

void key_new(const std::string& file) {
  try {
    pseudonym::SecretKey::create_file(file);
  } catch (const pseudonym::KeyError& e) {
    throw CommandFailure{2, e.what()};
  }
  std::printf("wrote a new key to %s (mode 0600). Keep it secret: whoever holds it can link pseudonyms.\n", file.c_str());
}

}  // namespace radveil::cli
