// `radveil export IN OUT --purpose P --recipient R --key FILE`: the deid pipeline with "decide"
// in front (consent, per patient) and "record" behind (the disclosure ledger), under the
// recipient's own key.
#include <cstdio>
#include <ctime>

#include "cli/commands.h"
#include "cli/deid_flags.h"
#include "cli/progress_bar.h"
#include "cli/state_flags.h"
#include "pipeline/export_run.h"
#include "scan/finding.h"

namespace radveil::cli {
namespace {

void run(const DeidArgs& deid, const ExportArgs& args) {
  const pipeline::DeidRunConfig config = deid_config(deid);
  const pseudonym::SecretKey site_key = load_key(deid.key);
  auto store = open_store(args.state);
  const consent::Policy policy = policy_in_force(args.state);
  const ledger::LedgerKeys keys = ledger_keys(args.state);
  const auto trail = audit_trail(args.state);  // before anything is written: nothing leaves unaudited
  std::optional<scan::FailLevel> scan_gate;
  if (!args.scan_gate.empty()) scan_gate = scan::parse_fail_level(args.scan_gate);
  const pipeline::ExportSettings settings{args.purpose, args.recipient, static_cast<std::int64_t>(std::time(nullptr)),
                                          trail.get(), scan_gate};
  ProgressBar bar;
  pipeline::ExportResult result;
  guarded_run([&] {
    result = pipeline::run_export(
        config, settings, *store, policy, keys, site_key,
        [&bar](std::size_t d, std::size_t f, bool complete) { bar.update(d, f, complete); },
        [&](const std::string& id) {
          std::printf("export %s to %s for %s (policy: %s)\n", id.c_str(), args.recipient.c_str(), args.purpose.c_str(),
                      policy.source.c_str());
          std::fflush(stdout);
        });
    return result.report;
  });
  bar.finish();
  report_run(deid, config, result.report);
  if (!result.recorded.positions.empty())
    std::printf("  disclosures recorded: %zu (%zu instances), ledger records %llu-%llu\n", result.recorded.positions.size(),
                result.recorded.instances, static_cast<unsigned long long>(result.recorded.positions.front()),
                static_cast<unsigned long long>(result.recorded.positions.back()));
  std::printf("  audit messages: %s%s\n", trail->config().file.c_str(),
              result.audit.sent ? (", " + std::to_string(result.audit.sent) + " sent to the collector").c_str() : "");
  report_forward(result.audit);
  if (!result.held_back.empty()) {
    std::size_t instances = 0;
    std::map<std::string, std::size_t> kinds;
    for (const auto& study : result.held_back) {
      instances += study.instances;
      for (const auto& f : study.findings) ++kinds[f.kind];
    }
    std::printf("  held back by the scan gate (%s): %zu studies, %zu instances, in %s/%s (findings.json in each)\n",
                args.scan_gate.c_str(), result.held_back.size(), instances, config.quarantine.c_str(), scan::kHeldBackFolder);
    for (const auto& [kind, n] : kinds) std::printf("    %-24s %zu\n", kind.c_str(), n);
    throw CommandFailure{4, std::to_string(result.held_back.size()) + " studies held back by the scan gate"};
  }
}

}  // namespace

void export_(const DeidArgs& deid, const ExportArgs& args) { run(deid, args); }

}  // namespace radveil::cli
