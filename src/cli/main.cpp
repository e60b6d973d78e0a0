#include "cli/commands.h"
#include "core/library_messages.h"

int main(int argc, char** argv) {
  // Library messages may quote values from the files they read; radveil reports per file itself.
  radveil::silence_library_messages();
  return radveil::cli::run_command_line(argc, argv);
}
