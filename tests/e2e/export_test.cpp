// `radveil export` end to end: one synthetic archive, consents on file, exported to two
// recipients. Patient 0 opted out of research; patient 1 refused one recipient (ai-co); patients
// 2 and 3 have no consent on file (research is permitted by default).
#include <dcmtk/dcmdata/dctk.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "deid/header_deidentifier.h"
#include "dicom/values.h"
#include "pseudonym/pseudonymizer.h"
#include "pseudonym/recipient_key.h"
#include "store/state_store.h"
#include "support/test_support.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;

class ExportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = std::make_unique<TempDir>();
    auto synth = run_radveil("synth " + (dir->path() / "synth").string() + " --patients 4 --slices 3 --rows 64 --seed 11");
    ASSERT_EQ(synth.exit_code, 0) << synth.output;
    archive = dir->path() / "synth" / "archive";
    key = dir->path() / "site.key";
    write_fixed_key(key, 5);
    state = "--state " + (dir->path() / "state").string();
    for (const auto& e : fs::directory_iterator(archive))
      if (e.is_directory()) patient_dirs[e.path().filename().string().substr(0, 1)] = e.path();
    ASSERT_EQ(run_radveil("recipient add lab-a --name 'Lab A' --address '1 Main St' " + state).exit_code, 0);
    ASSERT_EQ(run_radveil("recipient add ai-co --name 'AI Co' " + state).exit_code, 0);
    const std::string p0 = patient_id("0"), p1 = patient_id("1");
    std::ofstream(dir->path() / "consents.json")
        << R"({"resourceType":"Bundle","type":"collection","entry":[
  {"resource":{"resourceType":"Consent","id":"p0-opt-out","status":"active","dateTime":"2025-03-01",
    "patient":{"identifier":{"system":"PPTH_MRN","value":")" << p0 << R"("}},"policyRule":{"text":"opt-out"},
    "provision":{"type":"deny","purpose":[{"code":"HRESCH"}]}}},
  {"resource":{"resourceType":"Consent","id":"p1-not-ai-co","status":"active","dateTime":"2025-03-01",
    "patient":{"identifier":{"value":")" << p1 << R"("}},"policyRule":{"text":"research, not ai-co"},
    "provision":{"type":"permit","provision":[{"type":"deny",
      "actor":[{"reference":{"identifier":{"system":"urn:radveil:recipient","value":"ai-co"}}}]}]}}}]})";
    imported = run_radveil("consent import --source https://ehr.test/fhir " + (dir->path() / "consents.json").string() + " " + state);
    to_lab = export_to("lab-a", "out-lab");
    to_ai = export_to("ai-co", "out-ai");
    to_lab_again = export_to("lab-a", "out-lab-again");
  }
  static void TearDownTestSuite() { dir.reset(); }

  static CommandResult export_to(const std::string& recipient, const std::string& out) {
    return run_radveil("export " + archive.string() + " " + (dir->path() / out).string() + " --key " + key.string() +
                       " --purpose HRESCH --recipient " + recipient + " --option retain-long-modified-dates --report " +
                       (dir->path() / (out + ".json")).string() + " " + state);
  }

  static std::vector<fs::path> files_of(const fs::path& root) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file()) files.push_back(e.path());
    return files;
  }

  static std::vector<fs::path> instances_of(const fs::path& root) {
    std::vector<fs::path> files;
    for (const auto& f : files_of(root))
      if (f.extension() == ".dcm" && f.string().find("/.radveil/") == std::string::npos) files.push_back(f);
    return files;
  }

  static std::string value(const fs::path& file, const DcmTagKey& tag) {
    DcmFileFormat ff;
    if (ff.loadFile(OFFilename(file.c_str())).bad()) return {};
    return dicom::get_string(*ff.getDataset(), tag);
  }

  static std::string patient_id(const std::string& index) {
    for (const auto& f : files_of(patient_dirs[index]))
      if (const std::string id = value(f, DCM_PatientID); !id.empty()) return id;
    return {};
  }

  // Every value of a patient's input that names them or their studies, and what their patient
  // folder would be called under the recipient's key.
  static std::set<std::string> identity_of(const std::string& index, const std::string& recipient) {
    std::set<std::string> values;
    const pseudonym::Pseudonymizer p(pseudonym::recipient_key(pseudonym::SecretKey::load_file(key), recipient));
    for (const auto& f : files_of(patient_dirs[index])) {
      DcmFileFormat ff;
      if (ff.loadFile(OFFilename(f.c_str())).bad()) continue;
      DcmDataset& ds = *ff.getDataset();
      for (const DcmTagKey& tag : {DCM_PatientID, DCM_AccessionNumber, DCM_StudyInstanceUID, DCM_SeriesInstanceUID,
                                   DCM_SOPInstanceUID, DCM_PatientBirthDate})
        if (const std::string v = dicom::get_string(ds, tag); v.size() >= 6) values.insert(v);
      const std::string name = dicom::get_string(ds, DCM_PatientName);
      for (std::size_t start = 0; start < name.size();) {
        const std::size_t end = std::min(name.find('^', start), name.size());
        if (end - start >= 4) values.insert(name.substr(start, end - start));
        start = end + 1;
      }
      values.insert("RV" + p.token("patient", deid::HeaderDeidentifier::patient_identity(ds), 14));
      if (const std::string sop = dicom::get_string(ds, DCM_SOPInstanceUID); !sop.empty()) values.insert(p.uid(sop));
    }
    return values;
  }

  static std::set<std::string> values_in(const fs::path& out, const DcmTagKey& tag) {
    std::set<std::string> values;
    for (const auto& f : instances_of(out))
      if (const std::string v = value(f, tag); !v.empty()) values.insert(v);
    return values;
  }

  static inline std::unique_ptr<TempDir> dir;
  static inline fs::path archive, key;
  static inline std::string state;
  static inline std::map<std::string, fs::path> patient_dirs;
  static inline CommandResult imported, to_lab, to_ai, to_lab_again;
};

}  // namespace

TEST_F(ExportTest, OnlyThePatientsWhoseConsentPermitsLeave) {
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  ASSERT_EQ(to_lab.exit_code, 0) << to_lab.output;
  ASSERT_EQ(to_ai.exit_code, 0) << to_ai.output;
  // lab-a gets patients 1, 2, 3; ai-co gets 2 and 3.
  EXPECT_EQ(values_in(dir->path() / "out-lab", DCM_PatientID).size(), 3u);
  EXPECT_EQ(values_in(dir->path() / "out-ai", DCM_PatientID).size(), 2u);
  const auto lab = nlohmann::json::parse(std::ifstream(dir->path() / "out-lab.json"));
  const auto ai = nlohmann::json::parse(std::ifstream(dir->path() / "out-ai.json"));
  EXPECT_GT(lab["reasons"]["withheld"].value("withheld-opted-out", 0), 0);
  EXPECT_GT(ai["reasons"]["withheld"].value("withheld-opted-out", 0), lab["reasons"]["withheld"].value("withheld-opted-out", 0));
  EXPECT_EQ(lab["export"]["recipient"], "lab-a");
  EXPECT_NE(to_lab.output.find("withheld-opted-out"), std::string::npos);
}

TEST_F(ExportTest, WithheldPatientsAppearNowhereInEitherOutput) {
  // The control: an exported patient's folder is found by the same derivation.
  const auto exported = identity_of("2", "lab-a");
  EXPECT_TRUE(std::any_of(exported.begin(), exported.end(),
                          [](const std::string& v) { return fs::is_directory(dir->path() / "out-lab" / v); }));
  const std::vector<std::pair<std::string, std::vector<std::string>>> withheld = {{"out-lab", {"0"}}, {"out-ai", {"0", "1"}}};
  for (const auto& [out, patients] : withheld) {
    const std::string recipient = out == "out-lab" ? "lab-a" : "ai-co";
    std::set<std::string> values;
    for (const auto& p : patients) values.merge(identity_of(p, recipient));
    ASSERT_GT(values.size(), 10u);
    std::vector<fs::path> files = files_of(dir->path() / out);  // the job's own state included
    files.push_back(dir->path() / (out + ".json"));
    for (const auto& f : files) {
      const std::string bytes = searchable_bytes(f);
      for (const auto& v : values) {
        EXPECT_EQ(bytes.find(v), std::string::npos) << out << ": a withheld patient's value in " << f.filename();
        EXPECT_EQ(f.string().find(v), std::string::npos) << out << ": a withheld patient's value in a path";
      }
    }
    const std::string& printed = out == "out-lab" ? to_lab.output : to_ai.output;
    for (const auto& v : values) EXPECT_EQ(printed.find(v), std::string::npos) << "in the summary";
  }
}

TEST_F(ExportTest, TwoRecipientsShareNoPseudonymUidOrShiftedDate) {
  for (const DcmTagKey& tag : {DCM_PatientID, DCM_PatientName, DCM_StudyInstanceUID, DCM_SeriesInstanceUID,
                               DCM_SOPInstanceUID, DCM_FrameOfReferenceUID, DCM_StudyDate, DCM_AcquisitionDate}) {
    const auto lab = values_in(dir->path() / "out-lab", tag), ai = values_in(dir->path() / "out-ai", tag);
    ASSERT_FALSE(lab.empty()) << DcmTag(tag).getTagName();
    for (const auto& v : ai) EXPECT_FALSE(lab.count(v)) << DcmTag(tag).getTagName() << " shared: " << v;
  }
}

TEST_F(ExportTest, ASecondExportToTheSameRecipientAgreesWithTheFirst) {
  ASSERT_EQ(to_lab_again.exit_code, 0) << to_lab_again.output;
  std::set<std::string> first, second;
  for (const auto& f : instances_of(dir->path() / "out-lab")) first.insert(fs::relative(f, dir->path() / "out-lab"));
  for (const auto& f : instances_of(dir->path() / "out-lab-again"))
    second.insert(fs::relative(f, dir->path() / "out-lab-again"));
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);  // the same patient pseudonyms, UIDs and file names
  EXPECT_EQ(values_in(dir->path() / "out-lab", DCM_StudyDate), values_in(dir->path() / "out-lab-again", DCM_StudyDate));
}

TEST_F(ExportTest, EachDecisionIsRecordedUnderTheExportsId) {
  std::string id;
  std::getline(std::ifstream(dir->path() / "out-ai" / ".radveil" / "export-id"), id);
  auto store = store::open_state_store(dir->path() / "state");
  const auto record = store->export_record(id);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->recipient, "ai-co");
  EXPECT_TRUE(record->finished_at);
  std::map<std::string, std::string> reasons;
  for (const auto& d : store->decisions(id)) reasons[d.patient.value] = d.reason;
  EXPECT_EQ(reasons[patient_id("0")], "withheld-opted-out");
  EXPECT_EQ(reasons[patient_id("1")], "withheld-opted-out");
  EXPECT_EQ(reasons[patient_id("2")], "permitted");
  // Resuming the export keeps its id and does nothing twice.
  const auto again = export_to("ai-co", "out-ai");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find(id), std::string::npos);
  EXPECT_NE(again.output.find("already done by an earlier run"), std::string::npos);
}

TEST_F(ExportTest, RefusesARecipientThatIsNotRegisteredOrAnUnknownPurpose) {
  const auto unknown = export_to("nobody", "out-nobody");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("not registered"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir->path() / "out-nobody"));
  const auto purpose = run_radveil("export " + archive.string() + " " + (dir->path() / "out-p").string() + " --key " +
                                   key.string() + " --purpose WHATEVER --recipient lab-a " + state);
  EXPECT_EQ(purpose.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir->path() / "out-p"));
}

TEST_F(ExportTest, ConsentCheckExplainsTheDecisionAndImportReportsRefusals) {
  const auto check = run_radveil("consent check --patient " + patient_id("1") + " --issuer PPTH_MRN --purpose HRESCH --recipient ai-co " + state);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("decision: deny (withheld-opted-out)"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("p1-not-ai-co"), std::string::npos);
  EXPECT_NE(check.output.find("provision.provision[0]"), std::string::npos);
  std::ofstream(dir->path() / "bad.json") << R"([{"resourceType":"Consent","id":"x1","status":"active"},{"resourceType":"Consent","id":"x2","status":"entered-in-error","patient":{"identifier":{"value":"Z9"}},"policyRule":{},"provision":{"type":"deny"}}])";
  const auto import = run_radveil("consent import --source https://ehr.test/fhir " + (dir->path() / "bad.json").string() + " " + state);
  EXPECT_EQ(import.exit_code, 3);
  EXPECT_NE(import.output.find("resource 1, id x1: no patient"), std::string::npos) << import.output;
  EXPECT_NE(import.output.find("nothing imported"), std::string::npos) << import.output;  // all or nothing
  const auto none = nlohmann::json::parse(run_radveil("consent check --patient Z9 --purpose HRESCH --recipient lab-a --json " + state).output);
  EXPECT_TRUE(none["set_aside"].empty());  // x2 was not stored either
  const auto again = run_radveil("consent import --source https://ehr.test/fhir " + (dir->path() / "consents.json").string() + " " + state);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.output.find("0 imported, 0 updated (newer version), 2 unchanged"), std::string::npos) << again.output;
  std::ofstream(dir->path() / "x2.json") << R"({"resourceType":"Consent","id":"x2","status":"entered-in-error","patient":{"identifier":{"value":"Z9"}},"policyRule":{},"provision":{"type":"deny"}})";
  ASSERT_EQ(run_radveil("consent import --source https://ehr.test/fhir " + (dir->path() / "x2.json").string() + " " + state).exit_code, 0);
  const auto ignored = run_radveil("consent check --patient Z9 --purpose HRESCH --recipient lab-a --json " + state);
  const auto j = nlohmann::json::parse(ignored.output);
  EXPECT_EQ(j["decision"], "permit");
  EXPECT_EQ(j["set_aside"][0]["why"], "its status is entered-in-error");
}

TEST_F(ExportTest, AFailedImportLeavesTheRegistryByteForByteAsItWas) {
  const fs::path db = dir->path() / "state" / "radveil.sqlite";
  const auto bytes = [&] {
    std::string all;
    for (const char* suffix : {"", "-wal"})
      if (fs::exists(db.string() + suffix)) all += test::read_file(db.string() + suffix);
    return all;
  };
  std::ofstream(dir->path() / "a.json") << R"({"resourceType":"Consent","id":"new-a","status":"active","dateTime":"2025-05-01",
    "patient":{"identifier":{"value":"Q1"}},"policyRule":{"coding":[{"code":"OPTOUT"}]}})";
  const std::string before = bytes();
  // A file that cannot be read: a.json is not stored either.
  const auto missing = run_radveil("consent import --source https://ehr.test/fhir " + (dir->path() / "a.json").string() + " " +
                                   (dir->path() / "missing.json").string() + " " + state);
  EXPECT_EQ(missing.exit_code, 3) << missing.output;
  EXPECT_NE(missing.output.find("nothing imported"), std::string::npos) << missing.output;
  EXPECT_EQ(bytes(), before);
  // A consent whose identity names another patient on file: the whole import is rolled back.
  std::ofstream(dir->path() / "clash.json") << R"([{"resourceType":"Consent","id":"new-b","status":"active","dateTime":"2025-05-01",
    "patient":{"identifier":{"value":"Q2"}},"policyRule":{"coding":[{"code":"OPTOUT"}]}},
    {"resourceType":"Consent","id":"p0-opt-out","status":"active","dateTime":"2025-05-01",
    "patient":{"identifier":{"value":"SOMEONE-ELSE"}},"policyRule":{"coding":[{"code":"OPTIN"}]}}])";
  const auto clash = run_radveil("consent import --source https://ehr.test/fhir " + (dir->path() / "clash.json").string() + " " + state);
  EXPECT_EQ(clash.exit_code, 3) << clash.output;
  EXPECT_NE(clash.output.find("another patient"), std::string::npos) << clash.output;
  EXPECT_EQ(bytes(), before);
  const auto q2 = nlohmann::json::parse(run_radveil("consent check --patient Q2 --purpose HRESCH --recipient lab-a --json " + state).output);
  EXPECT_EQ(q2["purposes"][0]["basis"], "policy-default");
}

TEST_F(ExportTest, DisclosuresListEveryDisclosureOfAPatientWithItsRecipient) {
  const auto run = run_radveil("disclosures --patient " + patient_id("2") + " --format json " + state);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto list = nlohmann::json::parse(run.output);
  std::multiset<std::string> recipients;
  for (const auto& d : list) {
    recipients.insert(d["recipient"].get<std::string>());
    EXPECT_EQ(d["purpose"], "HRESCH");
    EXPECT_EQ(d["purpose_in_words"], "healthcare research");
    EXPECT_EQ(d["accounting_required"], false);  // de-identified
  }
  // Patient 2's studies went to lab-a twice (two exports) and to ai-co once, each study a record.
  EXPECT_GT(recipients.count("lab-a"), 0u);
  EXPECT_EQ(recipients.count("lab-a"), 2 * recipients.count("ai-co"));
  EXPECT_EQ(nlohmann::json::parse(run_radveil("disclosures --patient " + patient_id("0") + " --format json " + state).output).size(),
            0u);  // opted out: never disclosed
  const auto letter = run_radveil("disclosures --patient " + patient_id("2") + " --format html " + state);
  EXPECT_NE(letter.output.find("Who else has seen your images?"), std::string::npos);
  EXPECT_NE(letter.output.find("Lab A"), std::string::npos);
  EXPECT_NE(letter.output.find("1 Main St"), std::string::npos);
  EXPECT_NE(letter.output.find("healthcare research"), std::string::npos);
}

TEST_F(ExportTest, BreachListsExactlyThePatientsSentToTheRecipient) {
  const auto run = run_radveil("breach --recipient ai-co --format json " + state);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::set<std::string> patients;
  const auto report = nlohmann::json::parse(run.output);
  for (const auto& p : report["affected"]) patients.insert(p["patient_id"].get<std::string>());
  EXPECT_EQ(patients, (std::set<std::string>{patient_id("2"), patient_id("3")}));
  const auto none = run_radveil("breach --recipient ai-co --to 2020-01-01 --format json " + state);
  EXPECT_EQ(nlohmann::json::parse(none.output)["patients"], 0);
}

TEST_F(ExportTest, TraceNamesTheOneRecipientALeakedOutputCameFrom) {
  const auto run = run_radveil("trace " + (dir->path() / "out-ai").string() + " --format json " + state);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto j = nlohmann::json::parse(run.output);
  EXPECT_EQ(j["recipients"].size(), 1u);
  EXPECT_GT(j["recipients"].value("ai-co", 0), 0);
  EXPECT_EQ(j["unknown"], 0);
  std::string id;
  std::getline(std::ifstream(dir->path() / "out-ai" / ".radveil" / "export-id"), id);
  for (const auto& s : j["sources"]) EXPECT_EQ(s["export"], id);
  // Files radveil never released (the original archive) are unknown.
  const auto originals = nlohmann::json::parse(run_radveil("trace " + archive.string() + " --format json " + state).output);
  EXPECT_EQ(originals["traced"], 0);
  EXPECT_GT(originals["unknown"], 0);
}

// Runs last: the withdrawal changes what later exports do.
TEST_F(ExportTest, WithdrawalRequestsDeletionFromEachHolderInItsOwnPseudonymsAndStopsLaterExports) {
  const fs::path requests = dir->path() / "requests";
  const auto run = run_radveil("consent withdraw --patient " + patient_id("2") + " --issuer PPTH_MRN --purpose HRESCH --out " +
                               requests.string() + " " + state);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::map<std::string, nlohmann::json> by_recipient;
  for (const auto& e : fs::directory_iterator(requests))
    if (e.path().extension() == ".json") {
      const auto j = nlohmann::json::parse(std::ifstream(e.path()));
      by_recipient[j["recipient"].get<std::string>()] = j;
    }
  ASSERT_EQ(by_recipient.size(), 2u);
  // Each request names only the pseudonyms that recipient holds: its own output's folders and studies.
  for (const auto& [recipient, out] : {std::pair<std::string, std::string>{"lab-a", "out-lab"}, {"ai-co", "out-ai"}}) {
    const auto& j = by_recipient[recipient];
    ASSERT_FALSE(j["patient_ids"].empty());
    for (const auto& p : j["patient_ids"]) EXPECT_TRUE(fs::is_directory(dir->path() / out / p.get<std::string>())) << recipient;
    const auto studies = values_in(dir->path() / out, DCM_StudyInstanceUID);
    for (const auto& s : j["study_instance_uids"]) EXPECT_TRUE(studies.count(s.get<std::string>())) << recipient;
    const std::string text = read_file(requests / ("deletion-request-" + recipient + "-" + j["date"].get<std::string>().substr(0, 10) + ".txt"));
    EXPECT_EQ(text.find(patient_id("2")), std::string::npos);  // never the hospital's Patient ID
  }
  EXPECT_EQ(run_radveil("ledger verify " + state).exit_code, 0);
  // A later export withholds the patient.
  const auto later = export_to("lab-a", "out-lab-later");
  ASSERT_EQ(later.exit_code, 0) << later.output;
  EXPECT_EQ(values_in(dir->path() / "out-lab-later", DCM_PatientID).size(), 2u);  // patients 1 and 3
}

}  // namespace radveil::test
