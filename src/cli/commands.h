#pragma once
// `radveil <verb>`: one function per verb, each given its parsed arguments. Only
// command_line.cpp knows CLI11 (parsing it costs about ten seconds of compiling per file that
// includes it); the verbs' files are plain C++.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/deid_args.h"
#include "cli/state_flags.h"
#include "consent/recipient.h"
#include "synth/synth_archive.h"

namespace radveil::cli {

// Parses the command line and runs the verb; returns the process's exit status.
int run_command_line(int argc, char** argv);

// Thrown by a command to end with this exit code after printing `message` to stderr.
struct CommandFailure {
  int exit_code;
  std::string message;
};

void key_new(const std::string& file);
void synth(synth::SynthConfig config, const std::string& out);
void deid(const DeidArgs& args);
void demo(const std::string& dir);
void deface_check(const std::string& input, const std::string& out);

struct ScanArgs {
  std::string input, against, key, html, json, fail_on = "high", quasi;
  std::size_t k = 5;
  bool header_only = false, no_face_check = false;
  unsigned jobs = 0;
};
// Exit status 4 when findings at or above --fail-on remain.
void scan_command(const ScanArgs& args);

struct ExportArgs {
  std::string purpose, recipient, scan_gate;
  StateArgs state;
};
void export_(const DeidArgs& deid, const ExportArgs& args);

void recipient_add(const StateArgs& state, const consent::Recipient& r);
void recipient_list(const StateArgs& state);
void recipient_show(const StateArgs& state, const std::string& id);

struct ConsentCheckArgs {
  std::string patient, issuer, purpose, recipient, at, study_date;
  bool json = false;
};
struct ConsentImportArgs {
  std::vector<std::string> files;
  std::string source;    // the FHIR server base the resources come from
  std::string patients;  // NDJSON of Patient resources, for literal references
};
void consent_import(const StateArgs& state, const ConsentImportArgs& args);
void consent_check(const StateArgs& state, const ConsentCheckArgs& args);
void consent_list(const StateArgs& state, const std::string& patient, const std::string& issuer, bool json);
void policy_show(const StateArgs& state);
struct WithdrawArgs {
  std::string patient, issuer, purpose, recipient, out;
};
void consent_withdraw(const StateArgs& state, const WithdrawArgs& args);

void ledger_checkpoint(const StateArgs& state);
void ledger_public_key(const StateArgs& state);
void ledger_verify(const StateArgs& state, const std::vector<std::string>& checkpoint_files);
void ledger_prove(const StateArgs& state, std::uint64_t position, const std::string& out);
void ledger_verify_proof(const std::string& file, const std::string& public_key);
void ledger_export(const StateArgs& state);
void audit_flush(const StateArgs& state);
void serve(const std::string& config_file, bool check_only);
void status(const std::string& config_file, const std::string& state, bool json);

struct DisclosuresArgs {
  std::string patient, issuer, since, format = "text";
};
void disclosures(const StateArgs& state, const DisclosuresArgs& args);
// The plain-language HTML letter to a patient: every disclosure of their images since `since`.
std::string disclosure_letter(store::StateStore& store, const consent::Identifier& patient, std::int64_t since);
struct BreachArgs {
  std::string recipient, from, to, format = "text";
};
void breach(const StateArgs& state, const BreachArgs& args);
void trace(const StateArgs& state, const std::string& path, const std::string& format);

}  // namespace radveil::cli
