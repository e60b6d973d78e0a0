// The command line: every verb's options and help, and nothing else. The only file that includes
// CLI11; each verb's behaviour is in its own cmd_*.cpp.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <memory>

#include "cli/commands.h"
#include "core/report_text.h"
#include "core/version.h"
#include "profile/deid_options.h"

namespace radveil::cli {
namespace {

void state_flag(CLI::App& cmd, StateArgs& args) {
  cmd.add_option("--state", args.state,
                 "state folder: recipients, consents, export decisions, the ledger (default: $RADVEIL_STATE, else "
                 "$XDG_STATE_HOME/radveil or ~/.local/state/radveil)");
}

void policy_flag(CLI::App& cmd, StateArgs& args) {
  cmd.add_option("--policy", args.policy,
                 "consent policy file (TOML; default: STATE/policy.toml if present, else the built-in policy)");
}

void audit_flag(CLI::App& cmd, StateArgs& args) {
  cmd.add_option("--audit-config", args.audit,
                 "where audit messages go (TOML; default: STATE/audit.toml if present, else STATE/audit.log only)");
}

void deid_flags(CLI::App& cmd, DeidArgs& args) {
  cmd.add_option("IN", args.input, "input file or folder")->required();
  cmd.add_option("OUT", args.output, "output folder: OUT/<patient>/<study>/<series>/<instance>.dcm")->required();
  cmd.add_option("--key", args.key, "pseudonymisation key file (radveil key new)")->required();
  cmd.add_option("--option", args.options, "header option, repeatable: " + profile::option_names_help());
  cmd.add_option("--quarantine", args.quarantine, "folder for refused inputs (default: OUT-quarantine)");
  cmd.add_option("--report", args.report, "write the run's counts and reasons as JSON");
  cmd.add_option("--face-report", args.face_report,
                 "with clean-recognizable-visual-features: before/after renders and JSON per head series");
  cmd.add_option("--face-mode", args.face_mode,
                 "with clean-recognizable-visual-features: 'face' (default) removes eyes, nose, mouth and chin; "
                 "'face-and-ears' removes the outer ears as well")
      ->check(CLI::IsMember({"face", "face-and-ears"}));
  cmd.add_option("--pixel-scan", args.pixel_scan,
                 "with clean-pixel-data: 'all' (default) looks at every frame of every instance; 'suspected' only "
                 "at instances that may carry burned-in text (Burned In Annotation YES, US, SC, XA, ...), "
                 "trusting the header of the others")
      ->check(CLI::IsMember({"suspected", "all"}));
  cmd.add_option("--pixel-text", args.pixel_text,
                 "with clean-pixel-data: 'all' (default) blacks out all text; 'phi-only' only text that shows "
                 "the instance's own identifying values (names, IDs, dates, institution)")
      ->check(CLI::IsMember({"all", "phi-only"}));
  cmd.add_option("--review", args.review, "with clean-pixel-data: a PNG per redacted frame with the boxes drawn");
  cmd.add_option("--jobs,-j", args.jobs, "parallel workers (default: all cores)")->check(CLI::Range(0, 1024));
  cmd.add_flag("--fail-on-quarantine", args.fail_on_quarantine, "exit with status 3 if any file was quarantined");
}

// Everything the parsed options are bound to lives as long as the App.
struct Bound {
  std::string file, dir = "radveil-demo", check_input, check_out = "deface-check", id, proof, public_key, patient, issuer;
  synth::SynthConfig synth;
  DeidArgs deid, export_deid;
  ExportArgs export_args;
  StateArgs state;
  consent::Recipient recipient;
  ConsentCheckArgs check;
  ConsentImportArgs consent_import;
  std::vector<std::string> files, checkpoints;
  std::uint64_t position = 0;
  bool json = false;
  DisclosuresArgs disclosures;
  WithdrawArgs withdraw;
  BreachArgs breach;
  std::string trace_path, trace_format = "text";
  ScanArgs scan;
};

void add_key(CLI::App& app, Bound& b) {
  auto* key = app.add_subcommand("key", "manage pseudonymisation keys");
  key->require_subcommand(1);
  auto* create = key->add_subcommand("new", "write a new 256-bit random key to FILE (mode 0600; never overwrites)");
  create->add_option("FILE", b.file, "key file to create")->required();
  create->callback([&b] { key_new(b.file); });
}

void add_synth(CLI::App& app, Bound& b) {
  auto* cmd = app.add_subcommand("synth", "write a synthetic archive with planted identities and its answer key");
  cmd->add_option("OUT", b.file, "folder to create: OUT/archive/ and OUT/answer-key.json")->required();
  cmd->add_option("--patients", b.synth.patients, "number of patients")->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--slices", b.synth.slices, "CT slices per patient (the MR gets half)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", b.synth.seed, "random seed (same seed, same archive)")->capture_default_str();
  cmd->add_option("--rows", b.synth.rows, "CT matrix size (MR: half)")->capture_default_str()->check(CLI::Range(16, 4096));
  cmd->add_option("--mr-rows", b.synth.mr_rows, "MR matrix size (default: half the CT's)")->check(CLI::Range(16, 4096));
  cmd->add_option("--us-frames", b.synth.us_frames, "frames of each ultrasound (a cine loop)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--syntaxes", b.synth.syntaxes,
                  "transfer syntaxes patients rotate through: explicit, implicit, big-endian, deflated, jpeg-ls")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--mr-syntax", b.synth.mr_syntax,
                  "the MR series' transfer syntax (jpeg-ls: JPEG-LS lossless), else the patient's");
  cmd->callback([&b] { synth(b.synth, b.file); });
}

void add_deid_and_export(CLI::App& app, Bound& b) {
  auto* cmd = app.add_subcommand("deid", "de-identify DICOM files (PS3.15 Annex E) from IN into OUT");
  deid_flags(*cmd, b.deid);
  cmd->callback([&b] { deid(b.deid); });

  auto* exp = app.add_subcommand(
      "export", "decide by consent, then de-identify for one recipient and purpose: only permitted patients leave");
  deid_flags(*exp, b.export_deid);
  exp->add_option("--purpose", b.export_args.purpose, "purpose of use code: HRESCH, AITRAIN, COMMDEV, COMMAI, ...")->required();
  exp->add_option("--recipient", b.export_args.recipient, "a registered recipient's ID (its key is derived from --key)")
      ->required();
  exp->add_option("--scan-gate", b.export_args.scan_gate,
                  "scan each written study as `radveil scan` does and hold back (quarantine) one with findings at or above "
                  "this level: low, medium, high")
      ->check(CLI::IsMember({"low", "medium", "high"}));
  state_flag(*exp, b.export_args.state);
  policy_flag(*exp, b.export_args.state);
  audit_flag(*exp, b.export_args.state);
  exp->callback([&b] { export_(b.export_deid, b.export_args); });
}

void add_recipient(CLI::App& app, Bound& b) {
  auto* cmd = app.add_subcommand("recipient", "register and list the recipients exports may go to");
  cmd->require_subcommand(1);
  auto* add = cmd->add_subcommand("add", "register a recipient");
  add->add_option("ID", b.recipient.id, "recipient ID: letters, digits, '.', '-', '_' (used in consents and key derivation)")
      ->required();
  add->add_option("--name", b.recipient.name, "the recipient's name, as an accounting of disclosures prints it")->required();
  add->add_option("--address", b.recipient.address, "postal address");
  add->add_option("--contact", b.recipient.contact, "a contact (person, e-mail)");
  add->add_option("--agreement", b.recipient.agreement, "the data use agreement's reference");
  state_flag(*add, b.state);
  add->callback([&b] { recipient_add(b.state, b.recipient); });
  auto* list = cmd->add_subcommand("list", "list the registered recipients");
  state_flag(*list, b.state);
  list->callback([&b] { recipient_list(b.state); });
  auto* show = cmd->add_subcommand("show", "show one recipient");
  show->add_option("ID", b.id, "recipient ID")->required();
  state_flag(*show, b.state);
  show->callback([&b] { recipient_show(b.state, b.id); });
}

void add_consent_and_policy(CLI::App& app, Bound& b) {
  auto* cmd = app.add_subcommand("consent", "the consent registry: import FHIR Consent or CSV, check a decision, list");
  cmd->require_subcommand(1);
  auto* import = cmd->add_subcommand(
      "import", "import FHIR STU3/R4/R5 Consent resources (resource, array, Bundle) or CSV: all files or none");
  import->add_option("FILE", b.consent_import.files, "JSON or CSV files")->required();
  import->add_option("--source", b.consent_import.source,
                     "the FHIR server base URL the resources come from (identifies Consent/<id> with no fullUrl)");
  import->add_option("--patients", b.consent_import.patients,
                     "NDJSON of Patient resources: resolves literal references such as Patient/123");
  state_flag(*import, b.state);
  import->callback([&b] { consent_import(b.state, b.consent_import); });

  auto* check = cmd->add_subcommand("check", "decide one patient, purpose and recipient, and say why");
  check->add_option("--patient", b.check.patient, "Patient ID")->required();
  check->add_option("--issuer", b.check.issuer, "Issuer of Patient ID (the identifier's system)");
  check->add_option("--purpose", b.check.purpose, "purpose of use code, e.g. HRESCH, AITRAIN, COMMAI")->required();
  check->add_option("--recipient", b.check.recipient, "recipient ID")->required();
  check->add_option("--at", b.check.at, "decide as at this date or dateTime (default: now)");
  check->add_option("--study-date", b.check.study_date, "the study's date (YYYYMMDD), for provisions with a dataPeriod");
  check->add_flag("--json", b.check.json, "print the decision as JSON");
  state_flag(*check, b.state);
  policy_flag(*check, b.state);
  check->callback([&b] { consent_check(b.state, b.check); });

  auto* list = cmd->add_subcommand("list", "the consents on file for a patient");
  list->add_option("--patient", b.patient, "Patient ID")->required();
  list->add_option("--issuer", b.issuer, "Issuer of Patient ID");
  list->add_flag("--json", b.json, "print radveil's form of each consent as JSON");
  state_flag(*list, b.state);
  list->callback([&b] { consent_list(b.state, b.patient, b.issuer, b.json); });

  auto* withdraw = cmd->add_subcommand(
      "withdraw", "the patient withdraws consent: later exports withhold them; deletion requests to recipients holding them");
  withdraw->add_option("--patient", b.withdraw.patient, "Patient ID")->required();
  withdraw->add_option("--issuer", b.withdraw.issuer, "Issuer of Patient ID");
  withdraw->add_option("--purpose", b.withdraw.purpose, "only for this purpose (default: every purpose)");
  withdraw->add_option("--recipient", b.withdraw.recipient, "only for this recipient (default: every recipient)");
  withdraw->add_option("--out", b.withdraw.out, "folder for the deletion requests (default: deletion-requests)");
  state_flag(*withdraw, b.state);
  withdraw->callback([&b] { consent_withdraw(b.state, b.withdraw); });

  auto* policy = app.add_subcommand("policy", "the consent policy: defaults without consent, implied purposes");
  policy->require_subcommand(1);
  auto* show = policy->add_subcommand("show", "print the policy in force and the purposes radveil knows");
  state_flag(*show, b.state);
  policy_flag(*show, b.state);
  show->callback([&b] { policy_show(b.state); });
}

void add_ledger(CLI::App& app, Bound& b) {
  auto* cmd = app.add_subcommand("ledger", "the disclosure ledger: signed checkpoints, verification, proofs");
  cmd->require_subcommand(1);
  auto* checkpoint = cmd->add_subcommand("checkpoint", "print a signed checkpoint (C2SP tlog-checkpoint, signed note)");
  state_flag(*checkpoint, b.state);
  checkpoint->callback([&b] { ledger_checkpoint(b.state); });
  auto* key = cmd->add_subcommand("public-key", "print the verifier key (signed-note format name+keyid+base64)");
  state_flag(*key, b.state);
  key->callback([&b] { ledger_public_key(b.state); });
  auto* verify = cmd->add_subcommand("verify", "recompute every leaf and the tree; prove it extends each checkpoint");
  verify->add_option("--checkpoint", b.checkpoints, "a signed checkpoint saved earlier (repeatable)");
  state_flag(*verify, b.state);
  audit_flag(*verify, b.state);
  verify->callback([&b] { ledger_verify(b.state, b.checkpoints); });
  auto* prove = cmd->add_subcommand("prove", "write an inclusion proof of one disclosure as JSON");
  prove->add_option("--disclosure", b.position, "the ledger record number (export prints them)")->required();
  prove->add_option("--out", b.file, "write the proof here instead of standard output");
  state_flag(*prove, b.state);
  prove->callback([&b] { ledger_prove(b.state, b.position, b.file); });
  auto* verify_proof = cmd->add_subcommand("verify-proof", "check an inclusion proof offline, without the database");
  verify_proof->add_option("FILE", b.proof, "the proof (ledger prove)")->required();
  verify_proof->add_option("--public-key", b.public_key, "the verifier key, or a file holding it (ledger public-key)")
      ->required();
  verify_proof->callback([&b] { ledger_verify_proof(b.proof, b.public_key); });
  auto* exp = cmd->add_subcommand("export", "every leaf as JSON lines (index, base64 leaf) for auditors");
  state_flag(*exp, b.state);
  exp->callback([&b] { ledger_export(b.state); });
}

void add_accounting(CLI::App& app, Bound& b) {
  auto* cmd = app.add_subcommand("disclosures", "every disclosure of one patient's images (HIPAA accounting; a letter to them)");
  cmd->add_option("--patient", b.disclosures.patient, "Patient ID")->required();
  cmd->add_option("--issuer", b.disclosures.issuer, "Issuer of Patient ID");
  cmd->add_option("--since", b.disclosures.since, "from this date (default: six years ago)");
  cmd->add_option("--format", b.disclosures.format, "text, csv, json, or html (the letter to the patient)")
      ->check(CLI::IsMember({"text", "csv", "json", "html"}));
  state_flag(*cmd, b.state);
  cmd->callback([&b] { disclosures(b.state, b.disclosures); });

  auto* br = app.add_subcommand("breach", "the patients and studies that reached one recipient, for notification");
  br->add_option("--recipient", b.breach.recipient, "recipient ID")->required();
  br->add_option("--from", b.breach.from, "from this date or dateTime");
  br->add_option("--to", b.breach.to, "to this date (inclusive) or dateTime");
  br->add_option("--format", b.breach.format, "text, csv or json")->check(CLI::IsMember({"text", "csv", "json"}));
  state_flag(*br, b.state);
  br->callback([&b] { breach(b.state, b.breach); });

  auto* tr = app.add_subcommand("trace", "which disclosures files found somewhere (a leaked dataset) came from");
  tr->add_option("PATH", b.trace_path, "a de-identified file or folder")->required();
  tr->add_option("--format", b.trace_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  state_flag(*tr, b.state);
  tr->callback([&b] { trace(b.state, b.trace_path, b.trace_format); });
}

void add_audit(CLI::App& app, Bound& b) {
  auto* cmd = app.add_subcommand("audit", "DICOM audit messages (PS3.15 A.5): the audit file and the syslog collector");
  cmd->require_subcommand(1);
  auto* flush = cmd->add_subcommand("flush", "send the collector every audit message it has not received yet");
  state_flag(*flush, b.state);
  audit_flag(*flush, b.state);
  flush->callback([&b] { audit_flush(b.state); });
}

void add_serve(CLI::App& app, Bound& b) {
  auto* cmd = app.add_subcommand("serve", "the DICOM node: receive (C-STORE), decide, de-identify, forward, record");
  cmd->add_option("--config", b.file, "the node's configuration (TOML; docs/gateway.md)")->required();
  cmd->add_flag("--check-config", b.json, "validate the configuration and say what the node would do, then exit");
  cmd->callback([&b] { serve(b.file, b.json); });
  auto* st = app.add_subcommand("status", "what the node is doing: associations, spool, routes, last errors");
  st->add_option("--config", b.file, "the node's configuration");
  st->add_option("--state", b.state.state, "or its state folder");
  st->add_flag("--json", b.json, "the status as JSON");
  st->callback([&b] { status(b.file, b.state.state, b.json); });
}

void add_demo_and_checks(CLI::App& app, Bound& b) {
  auto* demo_cmd = app.add_subcommand("demo", "synthesise a small archive, de-identify it, export it by consent, show the result");
  demo_cmd->add_option("--dir", b.dir, "working folder for the demo")->capture_default_str();
  demo_cmd->callback([&b] { demo(b.dir); });
  auto* check = app.add_subcommand("deface-check", "check CT/MR series for a recognisable face (renders + detectors)");
  check->add_option("DIR", b.check_input, "folder (or file) of DICOM series to check")->required();
  check->add_option("--out", b.check_out, "where renders and JSON go")->capture_default_str();
  check->callback([&b] { deface_check(b.check_input, b.check_out); });
  auto* scan = app.add_subcommand("scan", "a release report: residual identity in headers and pixels, faces, re-identification risk");
  scan->add_option("DIR", b.scan.input, "folder (or file) about to be released")->required();
  scan->add_option("--against", b.scan.against, "the original folder: find its values in what is released");
  scan->add_option("--key", b.scan.key, "with --against: radveil's key, to pair each released file with its original");
  scan->add_option("--html", b.scan.html, "write the report as one self-contained HTML page");
  scan->add_option("--json", b.scan.json, "write the report as JSON");
  scan->add_option("--fail-on", b.scan.fail_on, "findings that make the exit status 4: none, low, medium, high")
      ->check(CLI::IsMember({"none", "low", "medium", "high"}))
      ->capture_default_str();
  scan->add_option("--k", b.scan.k, "the k of k-anonymity to report patients below")->check(CLI::Range(1, 1000000))->capture_default_str();
  scan->add_option("--quasi", b.scan.quasi,
                   "quasi-identifiers, comma-separated (default: age-band,sex,study-year,modality,body-part,institution,"
                   "device-model,height-band,weight-band)");
  scan->add_flag("--header-only", b.scan.header_only, "headers only: no OCR of the pixels, no face check");
  scan->add_flag("--no-face-check", b.scan.no_face_check, "OCR every frame but do not render CT/MR series for a face");
  scan->add_option("--jobs,-j", b.scan.jobs, "parallel workers (default: all cores)")->check(CLI::Range(0, 1024));
  scan->callback([&b] { scan_command(b.scan); });
}

}  // namespace

int run_command_line(int argc, char** argv) {
  CLI::App app{"radveil - a privacy gateway for radiology images"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  Bound bound;
  add_key(app, bound);
  add_synth(app, bound);
  add_deid_and_export(app, bound);
  add_recipient(app, bound);
  add_consent_and_policy(app, bound);
  add_ledger(app, bound);
  add_accounting(app, bound);
  add_audit(app, bound);
  add_serve(app, bound);
  add_demo_and_checks(app, bound);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here too (status 0); every usage error is status 2.
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const CommandFailure& f) {
    std::fprintf(stderr, "radveil: %s\n", f.message.c_str());
    return f.exit_code;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "radveil: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    // Whatever escaped the commands' own error handling may quote input: described, not quoted.
    std::fprintf(stderr, "radveil: %s\n", report_text::describe_unexpected(e).c_str());
    return 1;
  }
  return 0;
}

}  // namespace radveil::cli
