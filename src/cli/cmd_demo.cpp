#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "scan/scan_run.h"
#include "cli/header_comparison.h"
#include "consent/consent_import.h"
#include "core/json_file.h"
#include "dicom/instance_file.h"
#include "dicom/values.h"
#include "pipeline/deid_run.h"
#include "ledger/checkpoint.h"
#include "ledger/ledger_entry.h"
#include "ledger/ledger_keys.h"
#include "ledger/signed_note.h"
#include "pipeline/export_run.h"
#include "pseudonym/secret_key.h"
#include "store/state_store.h"
#include "synth/synth_archive.h"

namespace radveil::cli {
namespace {

namespace fs = std::filesystem;

// Consent at work: patient 0 opted out of research (a FHIR R4 Consent), patient 1 said yes (a CSV
// row); an export for research to a registered recipient takes only the permitted patients.
void consent_demo(const fs::path& dir, const fs::path& archive, const nlohmann::json& key,
                  const pseudonym::SecretKey& site_key) {
  std::printf("\n== 4. consent: export for research (HRESCH) to recipient research-lab\n");
  std::map<int, std::string> ids;
  for (const auto& instance : key["instances"]) {
    const int patient = instance["patient"].get<int>();
    if (ids.count(patient)) continue;
    try {
      auto loaded = dicom::load_lazy(archive / instance["path"].get<std::string>());
      ids[patient] = dicom::get_string(*loaded.dataset, DCM_PatientID);
    } catch (const std::exception&) {
      // not every listed file is readable DICOM (the archive plants broken ones)
    }
  }
  auto store = store::open_state_store(dir / "state");
  store->add_recipient({"research-lab", "University Research Lab", "1 Campus Road", "broker@example.org", "DUA-2026-01"});
  const std::string fhir = R"({"resourceType":"Consent","id":"demo-opt-out","status":"active","dateTime":"2026-01-15",
    "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"research"}]},
    "patient":{"identifier":{"system":"PPTH_MRN","value":")" + ids[0] + R"("}},"policyRule":{"text":"research opt-out"},
    "provision":{"type":"deny","purpose":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"HRESCH"}]}})";
  const std::string csv = "patient_id,issuer,purpose,recipient,decision,from,to,recorded_at\n" + ids[1] +
                          ",PPTH_MRN,HRESCH,,permit,2026-01-01,,2026-01-10\n";
  std::ofstream(dir / "consent-opt-out.json") << fhir;
  std::ofstream(dir / "consents.csv") << csv;
  for (auto& c : consent::parse_fhir_consents(fhir, {"https://ehr.demo/fhir", nullptr}).consents) store->put_consent(c);
  for (auto& c : consent::parse_csv_consents(csv).consents) store->put_consent(c);
  std::printf("   consents on file: %s (FHIR: opts out of research), %s (CSV row: permits research); state: %s\n",
              (dir / "consent-opt-out.json").c_str(), (dir / "consents.csv").c_str(), (dir / "state").c_str());
  const consent::Policy policy = consent::default_policy();
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  for (int p = 0; p < 3 && ids.count(p); ++p) {
    const consent::Verdict v =
        consent::decide(store->consents_for(ids[p]), policy, {{"PPTH_MRN", ids[p]}, "HRESCH", "research-lab", now, {}});
    std::printf("   patient %d (radveil consent check --patient %s --issuer PPTH_MRN --purpose HRESCH --recipient "
                "research-lab):\n",
                p, ids[p].c_str());
    std::string text = v.explanation(), indented;
    for (char ch : text) indented += ch == '\n' ? std::string("\n     ") : std::string(1, ch);
    std::printf("     %s", indented.substr(0, indented.size() - 5).c_str());
  }
  pipeline::DeidRunConfig config;
  config.input = archive;
  config.output = dir / "export-research-lab";
  config.quarantine = dir / "export-quarantine";
  config.pixels.enabled = true;  // the ultrasound's burned-in names are cleaned, as in step 2
  const ledger::LedgerKeys keys = ledger::load_or_create_ledger_keys(dir / "state");
  audit::AuditTrail trail(audit::load_audit_config({}, dir / "state"), audit::local_source("", ""));
  const pipeline::ExportResult exported =
      pipeline::run_export(config, {"HRESCH", "research-lab", now, &trail, std::nullopt}, *store, policy, keys, site_key);
  std::fputs(exported.report.summary_text().c_str(), stdout);
  std::printf("   output: %s (under research-lab's own key: no pseudonym or UID in common with %s)\n",
              config.output.c_str(), (dir / "deidentified").c_str());

  std::printf("   DICOM audit messages (110102, 110104, 110106 per study): %s (a syslog collector over TLS is "
              "configured in state/audit.toml: docs/audit.md)\n",
              trail.config().file.c_str());
  std::printf("\n== 5. the disclosure ledger: %zu disclosures recorded (one per patient and study)\n",
              exported.recorded.positions.size());
  const auto entries = store->ledger_entries();
  const auto leaves = ledger::leaf_hashes(entries);
  const std::string note =
      keys.signer.sign(ledger::checkpoint_text({keys.signer.name(), leaves.size(), ledger::tree_root(leaves)}));
  store->save_checkpoint({leaves.size(), note, now});
  std::ofstream(dir / "checkpoint.txt") << note;
  const auto verified = ledger::verified_text(note, keys.signer.verifier_key());
  const auto problems = ledger::verify_ledger(entries, keys.commitment, {});
  std::printf("   signed checkpoint (radveil ledger checkpoint --state %s):\n\n%s\n", (dir / "state").c_str(), note.c_str());
  std::printf("   verifier key: %s\n   checkpoint signature %s; %zu records %s (radveil ledger verify)\n",
              keys.signer.verifier_key().c_str(), verified ? "verified" : "NOT VERIFIED", entries.size(),
              problems.empty() ? "match their leaves, tree recomputed" : "DO NOT VERIFY");
  const fs::path letter = dir / "letter-to-patient-1.html";
  std::ofstream(letter) << disclosure_letter(*store, {"PPTH_MRN", ids[1]}, now - 86400);
  std::printf("\n== 6. \"who else has seen my images?\": the letter to patient 1 (radveil disclosures --patient %s "
              "--format html)\n   %s (open it in a browser; patient 0, who opted out, would get an empty one)\n",
              ids[1].c_str(), letter.c_str());
}

// Step 7: the release report on step 2's output, compared with the originals through the key.
void release_report_demo(const fs::path& dir, const fs::path& original, const fs::path& released, const fs::path& key_file) {
  std::printf("\n== 7. the release report (radveil scan %s --against %s --key %s --html ...)\n", released.c_str(),
              original.c_str(), key_file.c_str());
  scan::ScanConfig config;
  config.input = released;
  config.against = original;
  config.key = key_file;
  const scan::ScanReport report = scan::run_scan(config);
  const fs::path html = dir / "release-report.html";
  std::ofstream(html) << scan::render_html(report);
  std::printf("   %zu files, %zu frames OCR'd, %zu CT/MR series checked for a face; findings: %zu high, %zu medium, %zu low\n",
              report.files, report.frames_examined, report.series.size(), report.count(scan::Severity::High),
              report.count(scan::Severity::Medium), report.count(scan::Severity::Low));
  std::printf("   k-anonymity %zu over %zu patients (the demo has three: every patient is unique, as the report says)\n",
              report.risk.k, report.risk.patients);
  std::printf("   safe to release: %s; the page for the privacy officer: %s\n", report.safe() ? "YES" : "NO", html.c_str());
}

void run_demo(const fs::path& dir) {
  fs::remove_all(dir / "synthetic");
  fs::remove_all(dir / "deidentified");
  fs::remove_all(dir / "quarantine");
  fs::remove_all(dir / "pixel-review");
  fs::remove_all(dir / "state");
  fs::remove_all(dir / "export-research-lab");
  fs::remove_all(dir / "export-quarantine");
  fs::create_directories(dir);
  std::printf("== 1. synthesising an archive with planted identities\n");
  synth::SynthConfig sc;
  sc.out = dir / "synthetic";
  sc.patients = 3;
  sc.slices = 6;
  sc.rows = 128;
  auto summary = synth::synthesize_archive(sc);
  std::printf("   %zu DICOM files (CT, derived CT, SR, US, MR; four transfer syntaxes; three character sets)\n",
              summary.dicom_files);

  const fs::path key_file = dir / "demo.key";
  if (!fs::exists(key_file)) pseudonym::SecretKey::create_file(key_file);
  pseudonym::Pseudonymizer pseudonymizer(pseudonym::SecretKey::load_file(key_file));

  std::printf("== 2. de-identifying with retain-long-modified-dates, clean-descriptors and clean-pixel-data\n");
  pipeline::DeidRunConfig config;
  config.input = sc.out / "archive";
  config.output = dir / "deidentified";
  config.quarantine = dir / "quarantine";
  config.options.add(profile::ProfileOption::RetainLongModifiedDates);
  config.options.add(profile::ProfileOption::CleanDescriptors);
  // The ultrasound frames carry their patient burned into the pixels: blacked out, with review images.
  config.pixels.enabled = true;
  config.pixels.review_dir = dir / "pixel-review";
  const pipeline::RunReport run = pipeline::run_deid(config, pseudonymizer);
  std::fputs(run.summary_text().c_str(), stdout);
  const fs::path report = dir / "report.json";
  write_json_file(report, run.to_json(config.options));

  std::printf("\n   input:      %s\n   output:     %s\n   quarantine: %s\n   report:     %s\n   answer key: %s\n"
              "   pixel review: %s\n",
              config.input.c_str(), config.output.c_str(), config.quarantine.c_str(), report.c_str(),
              (sc.out / "answer-key.json").c_str(), config.pixels.review_dir.c_str());

  // Before/after of the first CT slice. Its output name is its keyed replacement UID.
  nlohmann::json key = nlohmann::json::parse(std::ifstream(sc.out / "answer-key.json"));
  const auto& first = key["instances"][0];
  const fs::path before = config.input / first["path"].get<std::string>();
  const std::string output_name = pseudonymizer.uid(first["sop"].get<std::string>()) + ".dcm";
  fs::path after;
  for (const auto& entry : fs::recursive_directory_iterator(config.output))
    if (entry.path().filename() == output_name) after = entry.path();
  if (!after.empty()) {
    std::printf("\n== 3. one CT slice, before and after\n   before: %s\n   after:  %s\n\n%s", before.c_str(),
                after.c_str(), compare_headers(before, after).c_str());
  }
  consent_demo(dir, config.input, key, pseudonym::SecretKey::load_file(key_file));
  release_report_demo(dir, config.input, config.output, key_file);
}

}  // namespace

void demo(const std::string& dir) { run_demo(dir); }

}  // namespace radveil::cli
