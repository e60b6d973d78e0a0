// `radveil scan`: the release report. Run on a synthetic archive before de-identification it
// finds every planted category at its attribute path; on radveil's own output it finds nothing
// that decides; on deliberately weak de-identifications (only name and ID blanked, private
// attributes kept, burned-in text kept) it names what remains by kind and path and exits 4. The
// HTML page is opened by headless Chromium: verdict above the fold, nothing requested from the
// network. The report itself never shows a planted value.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dctk.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <tuple>
#include <thread>

#include "deid/header_deidentifier.h"
#include "dicom/sniff.h"
#include "dicom/values.h"
#include "pseudonym/pseudonymizer.h"
#include "support/mutations.h"
#include "support/peers.h"
#include "support/structured_reports.h"
#include "support/test_support.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Scan {
  CommandResult result;
  json report;
  std::string html;
  // Does a finding of `kind` have a location containing `where`?
  bool has(const std::string& kind, const std::string& where = "") const {
    for (const auto& f : report["findings"])
      if (f["kind"] == kind && f["location"].get<std::string>().find(where) != std::string::npos) return true;
    return false;
  }
  std::size_t count(const std::string& kind, const std::string& severity = "") const {
    std::size_t n = 0;
    for (const auto& f : report["findings"]) n += f["kind"] == kind && (severity.empty() || f["severity"] == severity);
    return n;
  }
  std::set<std::string> high_kinds() const {
    std::set<std::string> kinds;
    for (const auto& f : report["findings"])
      if (f["severity"] == "high") kinds.insert(f["kind"].get<std::string>());
    return kinds;
  }
};

class ScanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = std::make_unique<TempDir>();
    const auto synth = run_radveil("synth " + (*dir / "synth").string() + " --patients 3 --slices 4 --rows 128");
    ASSERT_EQ(synth.exit_code, 0) << synth.output;
    archive = *dir / "synth" / "archive";
    answer = json::parse(std::ifstream(*dir / "synth" / "answer-key.json"));
    key = *dir / "site.key";
    write_fixed_key(key, 15);
    released = *dir / "released";
    const auto deid = run_radveil("deid " + archive.string() + " " + released.string() + " --key " + key.string() +
                                  " --option clean-pixel-data --quarantine " + (*dir / "q").string());
    ASSERT_EQ(deid.exit_code, 0) << deid.output;
    fs::remove_all(released / ".radveil");  // the job's own state is not part of the release
  }
  static void TearDownTestSuite() { dir.reset(); }

  static Scan scan(const fs::path& folder, const std::string& extra = "") {
    static int n = 0;
    const fs::path json_file = *dir / ("scan-" + std::to_string(++n) + ".json");
    const fs::path html_file = *dir / ("scan-" + std::to_string(n) + ".html");
    Scan s;
    s.result = run_radveil("scan " + folder.string() + " --json " + json_file.string() + " --html " + html_file.string() + " " + extra);
    if (fs::exists(json_file)) s.report = json::parse(std::ifstream(json_file));
    s.html = read_file(html_file);
    return s;
  }

  // A copy of `from` with `change` applied to each DICOM file's dataset, saved as it came.
  static fs::path modified_copy(const fs::path& from, const std::string& name,
                                const std::function<void(const fs::path&, DcmDataset&)>& change) {
    const fs::path to = *dir / name;
    fs::copy(from, to, fs::copy_options::recursive);
    for (const auto& entry : fs::recursive_directory_iterator(to)) {
      if (!entry.is_regular_file()) continue;
      const auto kind = dicom::sniff(entry.path());
      if (kind != dicom::Sniffed::Part10 && kind != dicom::Sniffed::BareDataset) continue;
      DcmFileFormat ff;
      EXPECT_TRUE(ff.loadFile(OFFilename(entry.path().c_str())).good());
      EXPECT_TRUE(ff.loadAllDataIntoMemory().good());
      const E_TransferSyntax syntax = ff.getDataset()->getOriginalXfer();
      change(entry.path(), *ff.getDataset());
      const OFCondition saved = kind == dicom::Sniffed::Part10
                                    ? ff.saveFile(OFFilename(entry.path().c_str()), syntax)
                                    : ff.getDataset()->saveFile(OFFilename(entry.path().c_str()), syntax);
      EXPECT_TRUE(saved.good()) << saved.text();
    }
    return to;
  }

  // The archive with one patient's first study carrying a note radveil's profile keeps
  // (Manufacturer): that study's de-identifiable instances are `failing_sops`.
  static fs::path gate_archive() {
    if (!gate_source.empty()) return gate_source;
    const std::string study0 = answer["instances"][0]["study"].get<std::string>();
    for (const auto& i : answer["instances"])
      if (i["study"] == study0 && i["expect"] == "deidentified") failing_sops.insert(i["sop"].get<std::string>());
    gate_source = modified_copy(archive, "gate-archive", [&](const fs::path&, DcmDataset& ds) {
      if (failing_sops.count(dicom::get_string(ds, DCM_SOPInstanceUID)))
        ds.putAndInsertString(DCM_Manufacturer, "Installed by Dr. Okafor, call +1-555-201-3344");
    });
    return gate_source;
  }

  // Files below `root` (not the job's own state), and those holding the planted note.
  static std::pair<std::size_t, std::size_t> files_and_notes(const fs::path& root) {
    std::size_t files = 0, notes = 0;
    for (const auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file() && e.path().string().find("/.radveil/") == std::string::npos && e.path().extension() != ".json") {
        ++files;
        notes += read_file(e.path()).find("Okafor") != std::string::npos;
      }
    return {files, notes};
  }

  static inline std::unique_ptr<TempDir> dir;
  static inline fs::path archive, key, released, gate_source;
  static inline std::set<std::string> failing_sops;
  static inline json answer;
};

// Every planted value the answer key lists, as it may be written (itself and upper-cased).
std::vector<std::string> planted_values(const json& answer) {
  std::vector<std::string> out;
  for (const auto& [category, values] : answer["planted"].items())
    for (const auto& v : values) {
      const std::string s = v.get<std::string>();
      if (s.size() >= 4) out.push_back(s);
    }
  return out;
}

TEST_F(ScanTest, BeforeDeidentificationEveryPlantedCategoryIsFoundAtItsPath) {
  const Scan s = scan(archive);
  ASSERT_EQ(s.result.exit_code, 4) << s.result.output;
  EXPECT_FALSE(s.report["verdict"]["safe_to_release"].get<bool>());
  // The answer key's categories, each by the kind of finding that names it and where.
  const std::map<std::string, std::vector<std::pair<std::string, std::string>>> expected = {
      {"identity",
       {{"person-name", "(0010,0010) PatientName"},
        {"person-name", "(0008,0090) ReferringPhysicianName"},
        {"person-name", "(0040,A073)[1]/(0040,A075)"},  // in a sequence: Verifying Observer Name
        {"person-name", "(0040,A730)[2]/(0040,A123)"},  // SR content: a PNAME item
        {"id-in-text", "(0040,A730)[1]/(0040,A160) TextValue"},  // SR text naming the record number
        {"person-name", "(6000,4000)"},                   // overlay label "Marked by FAMILY"
        {"birth-date", "(0010,0030) PatientBirthDate"},
        {"address", "(0010,1040) PatientAddress"},
        {"phone", "(0010,2154) PatientTelephoneNumbers"},
        {"phone", "(0010,4000) PatientComments"},
        {"identifier-kept", "(0010,0020) PatientID"},
        {"id-in-text", "(0008,1030) StudyDescription"},
        {"private-attribute", "(0009,1001)"},
        {"device-identity", "meta:(0002,0016) SourceApplicationEntityTitle"},
        {"preamble-text", "preamble"},
        {"path-identity", "file or folder name"},
        {"burned-in-text", "frame 1"},
        {"identity-not-removed", "(0012,0062)"}}},
      {"dates", {{"date", "(0008,0020) StudyDate"}, {"date-in-text", "(0040,A730)[1]/(0040,A160) TextValue"}}},
      {"institution", {{"institution", "(0008,0080) InstitutionName"}, {"institution", "(0008,1040) InstitutionalDepartmentName"}}},
      {"device", {{"device-identity", "(0008,1010) StationName"}, {"device-identity", "(0018,1000) DeviceSerialNumber"}}},
  };
  for (const auto& [category, values] : answer["planted"].items()) {
    ASSERT_TRUE(expected.count(category)) << "a category the test does not know: " << category;
    for (const auto& [kind, where] : expected.at(category)) EXPECT_TRUE(s.has(kind, where)) << category << ": " << kind << " at " << where;
  }
  EXPECT_TRUE(s.has("overlay", "(6000,3000)"));
  EXPECT_EQ(s.count("burned-in-text"), 3u);  // the ultrasound of each patient
  EXPECT_EQ(s.report["risk"]["patients"], 3);
  EXPECT_EQ(s.report["risk"]["k_anonymity"], 1);
  // The findings show where, never what: no planted value in the JSON or the page. (The risk
  // section shows the kept quasi-identifiers' values, an institution's name among them, as
  // combinations: what the release itself would carry.)
  json without_risk = s.report;
  without_risk.erase("risk");
  const std::string json_text = without_risk.dump();
  const std::string page = s.html.substr(0, s.html.find("<h2>Re-identification risk"));
  for (const auto& value : planted_values(answer)) {
    EXPECT_EQ(json_text.find(value), std::string::npos) << "the JSON report shows a planted value: " << value;
    EXPECT_EQ(page.find(value), std::string::npos) << "the HTML report shows a planted value: " << value;
  }
}

TEST_F(ScanTest, RadveilsOwnOutputHasNothingAtTheDefaultLevel) {
  const Scan plain = scan(released);
  EXPECT_EQ(plain.result.exit_code, 0) << plain.result.output;
  EXPECT_TRUE(plain.report["verdict"]["safe_to_release"].get<bool>());
  EXPECT_TRUE(plain.high_kinds().empty()) << plain.report["findings"].dump(1).substr(0, 2000);
  EXPECT_GT(plain.report["summary"]["frames_examined"].get<int>(), 0);
  // Compared with the originals through the key: every file paired with its own original.
  const Scan against = scan(released, "--against " + archive.string() + " --key " + key.string());
  EXPECT_EQ(against.result.exit_code, 0) << against.result.output;
  EXPECT_EQ(against.report["against"]["matched_by"]["key"], against.report["summary"]["dicom_files"]);
  EXPECT_FALSE(against.has("source-value"));
  EXPECT_FALSE(against.has("source-uid"));
}

TEST_F(ScanTest, OnlyNameAndIdBlankedIsReportedByKindAndPath) {
  const fs::path weak = modified_copy(archive, "weak-names", [](const fs::path&, DcmDataset& ds) {
    ds.putAndInsertString(DCM_PatientName, "");
    ds.putAndInsertString(DCM_PatientID, "");
  });
  const Scan s = scan(weak);
  EXPECT_EQ(s.result.exit_code, 4) << s.result.output;
  EXPECT_FALSE(s.has("person-name", "(0010,0010)"));  // what was blanked is gone...
  EXPECT_TRUE(s.has("person-name", "(0008,0090) ReferringPhysicianName"));  // ...the rest is not
  EXPECT_TRUE(s.has("birth-date", "(0010,0030)"));
  EXPECT_TRUE(s.has("private-attribute", "(0009,1001)"));
  EXPECT_TRUE(s.has("burned-in-text"));
  EXPECT_TRUE(s.has("identity-not-removed"));
  // Against the originals (UIDs kept: paired by UID), the family name left in descriptions shows.
  const Scan against = scan(weak, "--against " + archive.string() + " --header-only");
  EXPECT_EQ(against.result.exit_code, 4);
  EXPECT_TRUE(against.has("source-value", "(0008,1030) StudyDescription"));
  EXPECT_TRUE(against.has("source-uid", "(0020,000D) StudyInstanceUID"));
  EXPECT_EQ(against.report["against"]["matched_by"]["uid"], against.report["summary"]["dicom_files"]);
}

TEST_F(ScanTest, PrivateAttributesKeptAreReportedInEveryFile) {
  const fs::path weak = modified_copy(released, "weak-private", [](const fs::path&, DcmDataset& ds) {
    ds.putAndInsertString(DcmTagKey(0x0029, 0x0010), "ACME SCANNER 2");
    dicom::put_private(ds, DcmTagKey(0x0029, 0x1010), EVR_LO, "ACME SCANNER 2", "calibrated 3");
  });
  const Scan s = scan(weak, "--header-only");
  EXPECT_EQ(s.result.exit_code, 4);
  EXPECT_EQ(s.count("private-attribute", "high"), s.report["summary"]["dicom_files"].get<std::size_t>());
  EXPECT_TRUE(s.has("private-attribute", "(0029,1010) private [ACME SCANNER 2]"));
  EXPECT_EQ(s.high_kinds(), std::set<std::string>{"private-attribute"});
}

TEST_F(ScanTest, BurnedInTextKeptIsReportedOnTheFramesThatShowIt) {
  // The ultrasound originals' pixels put back into the released instances.
  const auto site_key = pseudonym::SecretKey::load_file(key);
  const pseudonym::Pseudonymizer pseudonyms(site_key);
  std::map<std::string, fs::path> original_of;  // released file name -> original
  for (const auto& i : answer["instances"])
    if (i["modality"] == "US") original_of[pseudonyms.uid(i["sop"].get<std::string>()) + ".dcm"] = archive / i["path"].get<std::string>();
  ASSERT_EQ(original_of.size(), 3u);
  std::size_t restored = 0;
  const fs::path weak = modified_copy(released, "weak-pixels", [&](const fs::path& file, DcmDataset& ds) {
    const auto it = original_of.find(file.filename().string());
    if (it == original_of.end()) return;
    DcmFileFormat original;
    ASSERT_TRUE(original.loadFile(OFFilename(it->second.c_str())).good());
    DcmElement* pixels = nullptr;
    ASSERT_TRUE(original.getDataset()->findAndGetElement(DCM_PixelData, pixels).good());
    ds.insert(static_cast<DcmElement*>(pixels->clone()), true);
    ++restored;
  });
  ASSERT_EQ(restored, 3u);
  const Scan s = scan(weak);
  EXPECT_EQ(s.result.exit_code, 4);
  EXPECT_EQ(s.count("burned-in-text"), 3u);
  EXPECT_EQ(s.high_kinds(), std::set<std::string>{"burned-in-text"});
  EXPECT_EQ(s.report["text_frames"].size(), 3u);
}

TEST_F(ScanTest, TheFolderGivenIsShownMaskedAndNotJudged) {
  const fs::path named = *dir / "release_for_MRN7654321";
  fs::copy(released, named, fs::copy_options::recursive);
  const Scan s = scan(named, "--header-only");
  EXPECT_EQ(s.result.exit_code, 0) << s.result.output;
  EXPECT_EQ(s.report["summary"]["input"].get<std::string>().find("7654321"), std::string::npos);
  EXPECT_EQ(s.html.find("7654321"), std::string::npos);
}

TEST_F(ScanTest, FailOnSetsWhichFindingsDecide) {
  // radveil's output keeps pseudonymous identifiers (low): failing at low, passing at medium.
  EXPECT_EQ(scan(released, "--header-only --fail-on medium").result.exit_code, 0);
  EXPECT_EQ(scan(released, "--header-only --fail-on low").result.exit_code, 4);
  EXPECT_EQ(scan(archive, "--header-only --fail-on none").result.exit_code, 0);
  EXPECT_EQ(scan(archive, "--header-only --fail-on bogus").result.exit_code, 2);
  EXPECT_EQ(scan(archive, "--header-only --quasi age-band,shoe-size").result.exit_code, 2);
}

TEST_F(ScanTest, ExportScanGateHoldsBackTheStudyThatFailsAndRecordsTheRest) {
  const fs::path source = gate_archive();
  const std::string state = "--state " + (*dir / "gate-state").string();
  ASSERT_EQ(run_radveil("recipient add lab --name Lab " + state).exit_code, 0);
  const fs::path out = *dir / "gate-out", quarantine = *dir / "gate-out-quarantine";
  const auto exported = run_radveil("export " + source.string() + " " + out.string() + " --key " + key.string() +
                                    " --purpose HRESCH --recipient lab --option clean-pixel-data --scan-gate high " + state);
  EXPECT_EQ(exported.exit_code, 4) << exported.output;
  EXPECT_NE(exported.output.find("held back by the scan gate (high): 1 studies"), std::string::npos) << exported.output;
  EXPECT_NE(exported.output.find("disclosures recorded: 5"), std::string::npos) << exported.output;  // of 6 studies
  // The held-back study is in the quarantine with its findings, and nowhere in OUT.
  const fs::path held = quarantine / "held-back-by-scan";
  std::size_t held_files = 0;
  json findings;
  for (const auto& e : fs::recursive_directory_iterator(held)) {
    if (e.path().filename() == "findings.json") findings = json::parse(std::ifstream(e.path()));
    else if (e.is_regular_file()) ++held_files;
  }
  EXPECT_EQ(held_files, failing_sops.size() + 1);  // the CT slices, MIP and SR, and the cleaned ultrasound
  ASSERT_TRUE(findings.contains("findings"));
  bool name_found = false;
  for (const auto& f : findings["findings"])
    name_found |= f["kind"] == "person-name" && f["location"].get<std::string>().find("(0008,0070)") != std::string::npos;
  EXPECT_TRUE(name_found) << findings["findings"].dump().substr(0, 1000);
  const auto [released_files, notes] = files_and_notes(out);
  EXPECT_EQ(notes, 0u);
  EXPECT_EQ(released_files + held_files, answer["instances"].size());
  // Its transfer, begun, ends in the audit trail as failed, saying why; the others as exported.
  const std::string audit = read_file(*dir / "gate-state" / "audit.log");
  std::size_t closed = 0;
  for (auto at = audit.find("the scan gate held the study back"); at != std::string::npos; at = audit.find("the scan gate held the study back", at + 1)) ++closed;
  EXPECT_EQ(closed, 1u);
  // Run again: nothing more is recorded, the held-back study stays held back.
  const auto again = run_radveil("export " + source.string() + " " + out.string() + " --key " + key.string() +
                                 " --purpose HRESCH --recipient lab --option clean-pixel-data --scan-gate high " + state);
  EXPECT_EQ(again.output.find("disclosures recorded"), std::string::npos) << again.output;
}

TEST_F(ScanTest, NodeRouteWithScanGateHoldsBackTheStudyThatFails) {
  const fs::path source = gate_archive();
  const fs::path node_dir = *dir / "node";
  fs::create_directories(node_dir);
  fs::copy_file(key, node_dir / "site.key");
  ASSERT_EQ(run_radveil("recipient add lab --name Lab --state " + (node_dir / "state").string()).exit_code, 0);
  const int port = free_port();
  std::ofstream(node_dir / "node.toml") << "state = \"state\"\nkey = \"site.key\"\n[listen]\nae_title = \"RADVEIL\"\nport = " << port
                                        << "\nallow = [\"STORESCU@127.0.0.1\"]\nstable_seconds = 1\n"
                                        << "[[route]]\nname = \"g\"\npurpose = \"HRESCH\"\nrecipient = \"lab\"\n"
                                        << "options = [\"clean-pixel-data\"]\nscan_gate = \"high\"\n"
                                        << "destination = { kind = \"folder\", path = \"folder-out\" }\n";
  Process node({RADVEIL_BINARY, "serve", "--config", (node_dir / "node.toml").string()}, node_dir / "node.log");
  ASSERT_TRUE(wait_for_port(port, 20)) << read_file(node_dir / "node.log");
  std::vector<std::string> argv{"storescu", "-nh", "-aet", "STORESCU", "-aec", "RADVEIL", "127.0.0.1", std::to_string(port)};
  for (const auto& i : answer["instances"]) argv.push_back((source / i["path"].get<std::string>()).string());
  Process sender(argv, node_dir / "storescu.log");
  ASSERT_EQ(sender.stop_when_done(), 0) << read_file(node_dir / "storescu.log");
  // Six studies: five delivered and recorded, one held back.
  const fs::path log = node_dir / "node.log";
  for (int i = 0; i < 1200; ++i) {
    const std::string text = read_file(log);
    std::size_t done = 0;
    for (std::size_t at = text.find("\"study-done\""); at != std::string::npos; at = text.find("\"study-done\"", at + 1)) ++done;
    if (done >= 6) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(node.stop(), 0);
  const std::string text = read_file(log);
  EXPECT_NE(text.find("\"held_back_by_scan\":1"), std::string::npos) << text;
  const auto [delivered, notes] = files_and_notes(node_dir / "folder-out");
  EXPECT_EQ(notes, 0u);
  EXPECT_EQ(delivered, answer["instances"].size() - failing_sops.size() - 1);  // the study's ultrasound too
  std::size_t held = 0;
  for (const auto& e : fs::recursive_directory_iterator(node_dir / "state" / "routes" / "g" / "quarantine"))
    held += e.is_regular_file() && e.path().string().find("held-back-by-scan") != std::string::npos && e.path().extension() == ".dcm";
  EXPECT_EQ(held, failing_sops.size() + 1);
}

TEST_F(ScanTest, DamagedAndHostileFilesAreReportedWithoutACrashOrAHang) {
  const fs::path hostile = *dir / "hostile";
  fs::create_directories(hostile);
  std::size_t made = 0;
  for (std::size_t i = 0; i < 6; ++i) {
    const std::string bytes = read_file(archive / answer["instances"][i * 3]["path"].get<std::string>());
    for (const Mutation m : kMutations)
      for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        std::ofstream(hostile / ("m" + std::to_string(made++) + ".dcm"), std::ios::binary) << mutate(bytes, m, seed * 97 + i);
      }
  }
  // A name that is not UTF-8, a file nested 200 sequences deep, an empty file, a text file.
  std::ofstream(hostile / "caf\xe9-\xff.dcm", std::ios::binary)
      << read_file(archive / answer["instances"][0]["path"].get<std::string>());
  std::string deep("\x08\x00\x16\x00\x1a\x00\x00\x00" "1.2.840.10008.5.1.4.1.1.2", 34);
  deep.push_back('\0');
  for (int level = 0; level < 200; ++level) deep += std::string("\x40\x00\x30\xa7\xff\xff\xff\xff\xfe\xff\x00\xe0\xff\xff\xff\xff", 16);
  std::ofstream(hostile / "deep.dcm", std::ios::binary) << deep;
  std::ofstream(hostile / "empty.dcm");
  std::ofstream(hostile / "notes.txt") << "nothing here";
  made += 4;
  const fs::path report = *dir / "hostile.json";
  const auto run = run_radveil_within("scan " + hostile.string() + " --jobs 2 --json " + report.string(), 600);
  ASSERT_NE(run.exit_code, kHung) << "the scan hung";
  ASSERT_LT(run.exit_code, 128) << "the scan crashed: " << run.output;
  EXPECT_EQ(run.exit_code, 4) << run.output;
  const json r = json::parse(std::ifstream(report));  // valid JSON, whatever bytes the input had
  EXPECT_EQ(r["summary"]["files"], made);
  EXPECT_GT(r["summary"]["unreadable_files"].get<int>(), 0);
  bool deep_reported = false, odd_name_shown = false;
  for (const auto& f : r["findings"]) {
    deep_reported |= f["file"] == "deep.dcm" && f["kind"] == "unreadable-file";
    odd_name_shown |= f["file"].get<std::string>().rfind("caf?-?", 0) == 0;
  }
  EXPECT_TRUE(deep_reported);
  EXPECT_TRUE(odd_name_shown);
}

TEST_F(ScanTest, RealHeadsStillShowingTheirFacesAreReported) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  const Scan s = scan(*corpus / "heads", "--no-face-check");
  EXPECT_FALSE(s.has("face"));
  EXPECT_TRUE(s.has("faces-not-examined"));
  const Scan full = scan(*corpus / "heads");
  EXPECT_EQ(full.result.exit_code, 4);
  ASSERT_EQ(full.report["head_series"].size(), 2u);  // the CT and the MR head
  for (const auto& series : full.report["head_series"]) EXPECT_TRUE(series["face"].get<bool>()) << series.dump();
  EXPECT_EQ(full.count("face"), 2u);
  EXPECT_EQ(full.count("burned-in-text"), 0u);  // 349 slices without text
  EXPECT_NE(full.html.find("alt=\"surface render\""), std::string::npos);
}

// The same heads defaced by radveil and scanned against the originals: each released series is
// shown view by view beside its original, the original with its face and the release without.
// The CT patient's given name is "Head" and its FilterType "HEAD FILTER": a name word that is a
// DICOM vocabulary word, reported at medium, not as a high source value.
TEST_F(ScanTest, DefacedRealHeadsAreShownBesideTheirOriginals) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  const fs::path defaced = *dir / "heads-defaced";
  const auto deid = run_radveil("deid " + (*corpus / "heads").string() + " " + defaced.string() + " --key " + key.string() +
                                " --option clean-recognizable-visual-features");
  ASSERT_EQ(deid.exit_code, 0) << deid.output;
  const Scan s = scan(defaced, "--against " + (*corpus / "heads").string() + " --key " + key.string());
  EXPECT_EQ(s.result.exit_code, 0) << s.result.output;
  EXPECT_TRUE(s.high_kinds().empty()) << s.report["findings"].dump(1).substr(0, 2000);
  ASSERT_EQ(s.report["head_series"].size(), 2u);
  for (const auto& series : s.report["head_series"]) {
    EXPECT_FALSE(series["face"].get<bool>()) << series.dump();
    ASSERT_TRUE(series.contains("original")) << series.dump();
    EXPECT_TRUE(series["original"]["face"].get<bool>()) << series.dump();
  }
  EXPECT_GT(s.count("source-name-word", "medium"), 0u);
  EXPECT_FALSE(s.has("source-value"));
  EXPECT_NE(s.html.find("alt=\"original surface render\""), std::string::npos);
  EXPECT_NE(s.html.find("before, after"), std::string::npos);
}

// Structured reports made by DCMTK (pydicom's test-SR.dcm from the corpus when present, and one
// made here with dcmsr), highdicom, dcmqi and a pydicom script, de-identified by radveil and
// scanned against their originals: their coding scheme, template and class UIDs are kept, as the
// profile keeps them, and are no finding; the release passes its own gate.
TEST_F(ScanTest, StructuredReportsOfEveryGeneratorPassTheirOwnGateAgainstTheOriginals) {
  const fs::path originals = *dir / "sr-originals";
  test::write_reports(test::reports_from_generators(11), originals);
  const auto corpus = corpus_dir();
  const bool with_corpus = corpus && fs::exists(*corpus / "pydicom" / "test-SR.dcm");
  if (with_corpus) fs::create_symlink(*corpus / "pydicom" / "test-SR.dcm", originals / "test-SR.dcm");
  const fs::path out = *dir / "sr-released";
  const auto deid = run_radveil("deid " + originals.string() + " " + out.string() + " --key " + key.string());
  ASSERT_EQ(deid.exit_code, 0) << deid.output;
  fs::remove_all(out / ".radveil");
  const Scan s = scan(out, "--against " + originals.string() + " --key " + key.string());
  EXPECT_EQ(s.result.exit_code, 0) << s.report["findings"].dump(1).substr(0, 3000);
  EXPECT_EQ(s.report["summary"]["dicom_files"], with_corpus ? 5 : 4);
  EXPECT_EQ(s.report["against"]["matched_by"]["key"], s.report["summary"]["dicom_files"]);
  EXPECT_EQ(s.count("source-uid"), 0u);
  EXPECT_TRUE(s.high_kinds().empty()) << s.report["findings"].dump(1).substr(0, 3000);
}

// The names radveil gives (the patient's keyed pseudonym, UIDs) hold any short number of the
// originals somewhere in their digits: those are not the originals' values. An original's UID
// or identifier used as a file or folder name still is.
TEST_F(ScanTest, NamesRadveilGivesAreNotReadForTheOriginalsShortNumbers) {
  auto reports = test::reports_from_generators(13);
  const pseudonym::Pseudonymizer pseudonyms(pseudonym::SecretKey::load_file(key));
  DcmDataset& first = *reports[0].file->getDataset();
  const std::string study_folder = pseudonyms.uid(reports[0].instance_uids[1]);
  const std::string patient_folder = "RV" + pseudonyms.token("patient", deid::HeaderDeidentifier::patient_identity(first), 14);
  // Another patient's Study ID is four digits of the first's study folder, its Accession Number
  // four characters of the first's patient folder.
  const std::string digits = study_folder.substr(study_folder.size() - 8, 4), letters = patient_folder.substr(4, 4);
  DcmDataset& other = *reports[3].file->getDataset();
  other.putAndInsertString(DCM_StudyID, digits.c_str());
  other.putAndInsertString(DCM_AccessionNumber, letters.c_str());
  const fs::path originals = *dir / "short-numbers", out = *dir / "short-numbers-released";
  test::write_reports(reports, originals);
  ASSERT_EQ(run_radveil("deid " + originals.string() + " " + out.string() + " --key " + key.string()).exit_code, 0);
  fs::remove_all(out / ".radveil");
  ASSERT_TRUE(fs::exists(out / patient_folder / study_folder));
  const std::string against = "--header-only --against " + originals.string() + " --key " + key.string();
  const Scan s = scan(out, against);
  EXPECT_EQ(s.result.exit_code, 0) << s.report["findings"].dump(1).substr(0, 3000);
  EXPECT_FALSE(s.has("source-value", "file or folder name"));
  // A copy named after the original's SOP Instance UID, and one in a folder named by the
  // Accession Number: both high.
  fs::path released_file;
  for (const auto& e : fs::recursive_directory_iterator(out / patient_folder))
    if (e.is_regular_file()) released_file = e.path();
  fs::copy_file(released_file, out / (reports[0].instance_uids[0] + ".dcm"));
  fs::create_directories(out / ("ACC" + letters));
  fs::copy_file(released_file, out / ("ACC" + letters) / "x.dcm");
  const Scan leaked = scan(out, against);
  EXPECT_EQ(leaked.result.exit_code, 4);
  EXPECT_TRUE(leaked.has("source-uid", "file or folder name"));
  EXPECT_TRUE(leaked.has("source-value", "file or folder name"));
  EXPECT_EQ(leaked.count("source-uid", "high") + leaked.count("source-value", "high"), 2u)
      << leaked.report["findings"].dump(1).substr(0, 3000);
}

// The page shows one row per kind and attribute with its count; the JSON keeps every finding
// and gives the same groups.
TEST_F(ScanTest, ThePageGroupsFindingsByKindAndAttributeAndTheJsonKeepsEveryRow) {
  const Scan s = scan(released, "--header-only --fail-on low");
  ASSERT_EQ(s.result.exit_code, 4) << s.result.output;
  // Expected from the JSON rows: (severity, kind, attribute) -> findings, the attribute being the
  // location's last element ("(0040,A730)[1]/(0040,A160) TextValue" -> "(0040,A160) TextValue").
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> expected;
  for (const auto& f : s.report["findings"]) {
    std::string where = f["location"].get<std::string>();
    if (const auto item = where.rfind("]/"); item != std::string::npos) where = where.substr(item + 2);
    ++expected[{f["severity"].get<std::string>(), f["kind"].get<std::string>(), where}];
  }
  const std::size_t rows = s.report["findings"].size();
  const std::size_t files = s.report["summary"]["dicom_files"].get<std::size_t>();
  ASSERT_GT(rows, 2 * expected.size()) << "too few repeated findings to show grouping";
  // One identifier-kept row per file for Patient ID, in the JSON: one group on the page.
  EXPECT_EQ((expected[{"low", "identifier-kept", "(0010,0020) PatientID"}]), files);
  // The page: <tr class="group" ... data-severity data-kind data-attribute data-count>.
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> shown;
  std::vector<std::string> severities;
  const auto attribute = [](const std::string& row, const std::string& name) {
    const auto at = row.find(name + "=\"");
    if (at == std::string::npos) return std::string();
    const auto from = at + name.size() + 2;
    return row.substr(from, row.find('"', from) - from);
  };
  std::size_t page_rows = 0;
  for (auto at = s.html.find("<tr class=\"group\""); at != std::string::npos; at = s.html.find("<tr class=\"group\"", at + 1)) {
    const std::string row = s.html.substr(at, s.html.find('>', at) - at);
    severities.push_back(attribute(row, "data-severity"));
    const auto key = std::tuple{severities.back(), attribute(row, "data-kind"), attribute(row, "data-attribute")};
    EXPECT_EQ(shown.count(key), 0u) << "two rows for one kind and attribute: " << row;
    shown[key] = std::stoul(attribute(row, "data-count"));
    ++page_rows;
  }
  EXPECT_EQ(shown, expected);
  EXPECT_LT(page_rows, rows);
  // High first, then medium, then low.
  const auto rank = [](const std::string& sev) { return sev == "high" ? 0 : sev == "medium" ? 1 : 2; };
  EXPECT_TRUE(std::is_sorted(severities.begin(), severities.end(),
                             [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); }));
  // The JSON's groups say the same, with the first few files of each.
  std::size_t grouped = 0;
  for (const auto& g : s.report["groups"]) {
    const auto key = std::tuple{g["severity"].get<std::string>(), g["kind"].get<std::string>(), g["attribute"].get<std::string>()};
    EXPECT_EQ(g["findings"].get<std::size_t>(), expected[key]) << g.dump();
    EXPECT_LE(g["first_files"].size(), 3u);
    EXPECT_EQ(g["first_files"].size(), std::min<std::size_t>(3, g["files"].get<std::size_t>()));
    grouped += g["findings"].get<std::size_t>();
  }
  EXPECT_EQ(s.report["groups"].size(), expected.size());
  EXPECT_EQ(grouped, rows);
}

// A CT/MR series that forms no volume (three slices in three orientations, a localizer) cannot
// be rendered: the face check says why, and that is no face finding.
TEST_F(ScanTest, ASeriesThatFormsNoVolumeIsNotReportedAsAFace) {
  const fs::path folder = *dir / "localizer";
  fs::create_directories(folder);
  const char* orientations[] = {"1\\0\\0\\0\\1\\0", "0\\1\\0\\0\\0\\-1", "1\\0\\0\\0\\0\\-1"};
  for (int i = 0; i < 3; ++i) {
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    ds.putAndInsertString(DCM_SOPClassUID, UID_MRImageStorage);
    ds.putAndInsertString(DCM_SOPInstanceUID, ("2.25.4711000" + std::to_string(i)).c_str());
    ds.putAndInsertString(DCM_StudyInstanceUID, "2.25.47110001");
    ds.putAndInsertString(DCM_SeriesInstanceUID, "2.25.47110002");
    ds.putAndInsertString(DCM_Modality, "MR");
    ds.putAndInsertString(DCM_PatientIdentityRemoved, "YES");
    ds.putAndInsertString(DCM_ImageOrientationPatient, orientations[i]);
    ds.putAndInsertString(DCM_ImagePositionPatient, "0\\0\\0");
    ds.putAndInsertString(DCM_PixelSpacing, "1\\1");
    ds.putAndInsertString(DCM_SliceThickness, "1");
    ds.putAndInsertUint16(DCM_Rows, 64);
    ds.putAndInsertUint16(DCM_Columns, 64);
    ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds.putAndInsertUint16(DCM_BitsAllocated, 16);
    ds.putAndInsertUint16(DCM_BitsStored, 12);
    ds.putAndInsertUint16(DCM_HighBit, 11);
    ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
    std::vector<Uint16> pixels(64 * 64);
    for (std::size_t p = 0; p < pixels.size(); ++p) pixels[p] = static_cast<Uint16>((p % 64) * 16);
    ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size()));
    ASSERT_TRUE(file.saveFile(OFFilename((folder / ("IM" + std::to_string(i) + ".dcm")).c_str()), EXS_LittleEndianExplicit).good());
  }
  const Scan s = scan(folder);
  ASSERT_EQ(s.report["head_series"].size(), 1u);
  const auto& series = s.report["head_series"][0];
  EXPECT_FALSE(series["face"].get<bool>()) << series.dump();
  EXPECT_EQ(series["outcome"].get<std::string>().rfind("not-a-volume: ", 0), 0u) << series.dump();
  EXPECT_EQ(s.count("face"), 0u);
  EXPECT_EQ(s.result.exit_code, 0) << s.report["findings"].dump(1).substr(0, 2000);
}

// JPEG 2000 frames are read: the corpus ultrasound in JPEG 2000 shows its burned-in text, and
// the 1024x1024 MR beside it is examined (both were "unreadable-pixels").
TEST_F(ScanTest, JpegTwoThousandFramesAreExamined) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  for (const char* name : {"US1_J2KR.dcm", "MR2_J2KR.dcm"})
    ASSERT_TRUE(fs::exists(*corpus / "pydicom-data" / name)) << name << " is missing from the corpus";
  const fs::path folder = *dir / "j2k";
  fs::create_directories(folder);
  for (const char* name : {"US1_J2KR.dcm", "MR2_J2KR.dcm"}) fs::create_symlink(*corpus / "pydicom-data" / name, folder / name);
  const Scan s = scan(folder, "--no-face-check");
  EXPECT_EQ(s.count("unreadable-pixels"), 0u) << s.report["findings"].dump(1).substr(0, 2000);
  EXPECT_EQ(s.report["summary"]["frames_examined"], 2);
  EXPECT_TRUE(s.has("burned-in-text"));
}

// Headless Chromium, its network log kept: the requests the page itself made (the browser's own
// background requests carry no file:// isolation key).
struct BrowserRun {
  CommandResult result;
  std::vector<std::string> page_requests;
};

BrowserRun open_in_chromium(const fs::path& page, const fs::path& screenshot, const fs::path& work) {
  const fs::path netlog = work / (page.stem().string() + "-netlog.json");
  BrowserRun run;
  run.result = run_command("timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-sync "
                           "--disable-background-networking --disable-component-update --window-size=1280,800 "
                           "--user-data-dir=" + (work / "chromium-profile").string() + " --log-net-log=" + netlog.string() +
                           " --screenshot=" + screenshot.string() + " file://" + page.string());
  if (!fs::exists(netlog)) return run;
  const json log = json::parse(std::ifstream(netlog));
  std::map<std::string, std::string> kinds;  // event type id -> name
  for (const auto& [name, id] : log["constants"]["logEventTypes"].items()) kinds[id.dump()] = name;
  std::map<long, std::string> url_of;
  for (const auto& e : log["events"]) {
    const std::string kind = kinds[e["type"].dump()];
    if (!e.contains("params")) continue;
    const long source = e["source"]["id"].get<long>();
    if (kind == "REQUEST_ALIVE" && e["params"].contains("url")) url_of[source] = e["params"]["url"].get<std::string>();
    if (kind == "URL_REQUEST_START_JOB" && e["params"].value("network_isolation_key", "").rfind("file://", 0) == 0) {
      const std::string url = url_of[source];
      if (url.rfind("file:", 0) != 0 && url.rfind("data:", 0) != 0) run.page_requests.push_back(url);
    }
  }
  return run;
}

// The share of the screenshot's top `rows` rows in the verdict's colour (BGR).
double share_of_colour(const cv::Mat& image, int rows, cv::Vec3b bgr) {
  int n = 0;
  for (int y = 0; y < std::min(rows, image.rows); ++y)
    for (int x = 0; x < image.cols; ++x) {
      const cv::Vec3b p = image.at<cv::Vec3b>(y, x);
      n += std::abs(p[0] - bgr[0]) < 12 && std::abs(p[1] - bgr[1]) < 12 && std::abs(p[2] - bgr[2]) < 12;
    }
  return static_cast<double>(n) / (std::min(rows, image.rows) * image.cols);
}

TEST_F(ScanTest, ChromiumShowsTheVerdictAboveTheFoldAndThePageRequestsNothing) {
  ASSERT_EQ(run_command("chromium --version").exit_code, 0) << "headless Chromium is missing (scripts/install-deps.sh)";
  const fs::path work = *dir / "browser";
  fs::create_directories(work);
  // The method can fail: a page with an image from the network is seen requesting it.
  const fs::path control = work / "control.html";
  std::ofstream(control) << "<!DOCTYPE html><html><body><img src=\"http://radveil-test.invalid/x.png\"></body></html>";
  const BrowserRun control_run = open_in_chromium(control, work / "control.png", work);
  ASSERT_EQ(control_run.page_requests.size(), 1u) << control_run.result.output;

  for (const auto& [folder, colour, verdict] :
       {std::tuple{archive, cv::Vec3b(26, 22, 164), "Safe to release: NO"}, std::tuple{released, cv::Vec3b(53, 107, 29), "Safe to release: YES"}}) {
    const Scan s = scan(folder);
    ASSERT_NE(s.html.find(verdict), std::string::npos);
    const fs::path page = work / (std::string(verdict).substr(17) + ".html");
    std::ofstream(page) << s.html;
    const fs::path shot = work / (std::string(verdict).substr(17) + ".png");
    const BrowserRun run = open_in_chromium(page, shot, work);
    EXPECT_TRUE(run.page_requests.empty()) << run.page_requests.front();
    const cv::Mat image = cv::imread(shot.string(), cv::IMREAD_COLOR);
    ASSERT_FALSE(image.empty()) << run.result.output;
    EXPECT_EQ(image.cols, 1280);
    // The verdict banner fills a good part of the first 200 rows of an 800-row window.
    EXPECT_GT(share_of_colour(image, 200, colour), 0.25) << verdict;
  }
}

}  // namespace
}  // namespace radveil::test
