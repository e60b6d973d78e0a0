// `radveil export IN OUT --purpose P --recipient R --key FILE`: the deid pipeline with "decide"
// in front (consent, per patient), under the recipient's own key.
#include <openssl/rand.h>

#include <cstdio>
#include <ctime>
#include <fstream>

#include "cli/commands.h"
#include "cli/deid_flags.h"
#include "cli/state_flags.h"
#include "pipeline/release_gate.h"
#include "pseudonym/recipient_key.h"

namespace radveil::cli {
namespace {

struct ExportArgs {
  std::string purpose, recipient;
  StateArgs state;
};

// An export keeps its id across resumed runs into the same OUT: kept beside the job's journal.
std::string export_id_for(const std::filesystem::path& output) {
  const std::filesystem::path file = pipeline::state_dir(output) / "export-id";
  std::error_code ec;
  if (std::ifstream in(file); in) {
    std::string id;
    std::getline(in, id);
    if (!id.empty()) return id;
  }
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw CommandFailure{1, "no randomness for an export id"};
  char id[32];
  std::snprintf(id, sizeof id, "exp-%02x%02x%02x%02x%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3], bytes[4],
                bytes[5], bytes[6], bytes[7]);
  std::filesystem::create_directories(file.parent_path(), ec);
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << id << "\n";
    if (!out) throw CommandFailure{1, "cannot write the export id into the output folder"};
  }
  std::filesystem::rename(temporary, file, ec);
  if (ec) throw CommandFailure{1, "cannot write the export id into the output folder"};
  return id;
}

void run(const DeidArgs& deid, const ExportArgs& args) {
  pipeline::DeidRunConfig config = deid_config(deid);
  const pseudonym::SecretKey site_key = load_key(deid.key);
  auto store = open_store(args.state);
  const consent::Policy policy = policy_in_force(args.state);
  if (!policy.knows(args.purpose))
    throw CommandFailure{2, "unknown purpose " + args.purpose + " (radveil policy show lists them)"};
  if (!store->recipient(args.recipient))
    throw CommandFailure{2, "recipient " + args.recipient + " is not registered (radveil recipient add)"};
  try {
    pipeline::validate(config);  // before anything is written into OUT
  } catch (const pipeline::ConfigError& e) {
    throw CommandFailure{2, e.what()};
  }
  const std::string id = export_id_for(config.output);
  if (const auto earlier = store->export_record(id);
      earlier && (earlier->recipient != args.recipient || earlier->purpose != args.purpose))
    throw CommandFailure{2, "this output was started as an export to " + earlier->recipient + " for " + earlier->purpose +
                                "; use those or a new output folder"};
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  store->begin_export({id, args.recipient, args.purpose, now, std::nullopt, nlohmann::json::object()});
  pipeline::ReleaseGate gate(*store, policy, {id, args.purpose, args.recipient, now});
  config.gate = &gate;
  std::printf("export %s to %s for %s (policy: %s)\n", id.c_str(), args.recipient.c_str(), args.purpose.c_str(),
              policy.source.c_str());
  run_and_report(deid, config, pseudonym::recipient_key(site_key, args.recipient));
  // Counts by decision, never by patient: what the state records for the export as a whole.
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& d : store->decisions(id)) counts[d.reason] = counts.value(d.reason, 0) + 1;
  store->finish_export(id, {{"patient_study_dates", counts}});
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "export", "decide by consent, then de-identify for one recipient and purpose: only permitted patients leave");
  auto deid = std::make_shared<DeidArgs>();
  auto args = std::make_shared<ExportArgs>();
  add_deid_flags(*cmd, deid);
  cmd->add_option("--purpose", args->purpose, "purpose of use code: HRESCH, AITRAIN, COMMDEV, COMMAI, ...")->required();
  cmd->add_option("--recipient", args->recipient, "a registered recipient's ID (its key is derived from --key)")->required();
  add_state_flag(*cmd, args->state);
  add_policy_flag(*cmd, args->state);
  cmd->callback([deid, args] { run(*deid, *args); });
}

}  // namespace radveil::cli
