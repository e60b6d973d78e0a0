// `radveil export` decides per patient and study, case by case: each scenario imports consents into
// a fresh state folder, exports one synthetic archive (four patients, two study dates each), and
// checks both what was written (each instance's output present or absent) and what was recorded
// (the export's decision per patient and study date).
#include <dcmtk/dcmdata/dctk.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
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

struct Scenario {
  std::string name;
  std::vector<std::string> imports;  // files imported in this order; {P0}..{P3}, {P0_FIRST} replaced
  std::string purpose, recipient;
  // "P1" (every study of patient 1) or "P0@first" / "P0@second" (its earlier or later study date)
  // -> "permitted", "withheld-opted-out" or "withheld-no-consent". Unlisted patients: permitted.
  std::map<std::string, std::string> expected;
  int import_exit = 0;
};

// gtest prints a failing parameter by its name, not its bytes.
void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }

std::string r4(const std::string& id, const std::string& patient, const std::string& provision,
               const std::string& date_time = "2025-01-01", const std::string& status = "active",
               const std::string& system = "PPTH_MRN") {
  return R"({"resourceType":"Consent","id":")" + id + R"(","status":")" + status + R"(","dateTime":")" + date_time +
         R"(","patient":{"identifier":{"system":")" + system + R"(","value":")" + patient +
         R"("}},"policyRule":{"text":"site"},"provision":)" + provision + "}";
}

std::string kMiiModule(const std::string& n) {
  return R"({"type":"permit","period":{"start":"2024-01-01","end":"2050-01-01"},"code":[{"coding":[{"system":"urn:oid:2.16.840.1.113883.3.1937.777.24.5.3","code":"2.16.840.1.113883.3.1937.777.24.5.3.)" +
         n + R"("}]}]})";
}

constexpr const char* kDenyResearch = R"({"type":"deny","purpose":[{"code":"HRESCH"}]})";
constexpr const char* kNotAiCo =
    R"({"type":"permit","provision":[{"type":"deny","actor":[{"reference":{"identifier":{"value":"ai-co"}}}]}]})";
const std::string kCsvHeader = "patient_id,issuer,purpose,recipient,decision,from,to,recorded_at\n";

const std::vector<Scenario>& scenarios() {
  static const std::vector<Scenario> all = {
      {"OptOutOfResearch", {r4("a", "{P0}", kDenyResearch)}, "HRESCH", "lab-a", {{"P0", "withheld-opted-out"}}},
      {"OptOutOfResearchAlsoStopsAiTraining",
       {r4("a", "{P0}", kDenyResearch), r4("b", "{P1}", R"({"type":"permit","purpose":[{"code":"AITRAIN"}]})")},
       "AITRAIN", "ai-co",
       {{"P0", "withheld-opted-out"}, {"P1", "permitted"}, {"P2", "withheld-no-consent"}, {"P3", "withheld-no-consent"}}},
      {"ResearchPermittedButCommercialAiDenied",
       {r4("a", "{P0}", R"({"type":"permit","purpose":[{"code":"HRESCH"},{"code":"AITRAIN"}]})"),
        r4("b", "{P1}", R"({"type":"permit"})")},
       "COMMAI", "ai-co",
       {{"P0", "withheld-no-consent"}, {"P1", "permitted"}, {"P2", "withheld-no-consent"}, {"P3", "withheld-no-consent"}}},
      {"DenyForOneRecipientWithholdsFromIt", {r4("a", "{P1}", kNotAiCo)}, "HRESCH", "ai-co", {{"P1", "withheld-opted-out"}}},
      {"DenyForOneRecipientReleasesToOthers", {r4("a", "{P1}", kNotAiCo)}, "HRESCH", "lab-a", {}},
      {"ExpiredConsentIsIgnored",
       {r4("a", "{P0}", R"({"type":"deny","period":{"end":"2020-12-31"},"purpose":[{"code":"HRESCH"}]})")}, "HRESCH",
       "lab-a", {}},
      {"ConsentNotYetValidIsIgnored",
       {r4("a", "{P0}", R"({"type":"deny","period":{"start":"2099-01-01"},"purpose":[{"code":"HRESCH"}]})")}, "HRESCH",
       "lab-a", {}},
      {"LaterConsentOverridesEarlier",
       {"[" + r4("early", "{P0}", kDenyResearch, "2024-01-01") + "," +
        r4("late", "{P0}", R"({"type":"permit","purpose":[{"code":"HRESCH"}]})", "2025-01-01") + "]"},
       "HRESCH", "lab-a", {}},
      {"LaterConsentOverridesEarlierImportedFirst",
       {r4("late", "{P0}", R"({"type":"permit","purpose":[{"code":"HRESCH"}]})", "2025-01-01"),
        r4("early", "{P0}", kDenyResearch, "2024-01-01")},
       "HRESCH", "lab-a", {}},
      {"LaterOptOutOverridesEarlierPermit",
       {r4("late", "{P0}", kDenyResearch, "2025-01-01"),
        r4("early", "{P0}", R"({"type":"permit","purpose":[{"code":"HRESCH"}]})", "2024-01-01")},
       "HRESCH", "lab-a", {{"P0", "withheld-opted-out"}}},
      {"BaseDenyWithAPermitForResearch",
       {r4("a", "{P2}", R"({"type":"deny","provision":[{"type":"permit","purpose":[{"code":"HRESCH"}]}]})")}, "HRESCH",
       "lab-a", {}},
      {"BaseDenyWithAPermitForResearchDeniesAiTraining",
       {r4("a", "{P2}", R"({"type":"deny","provision":[{"type":"permit","purpose":[{"code":"HRESCH"}]}]})"),
        r4("b", "{P3}", R"({"type":"permit"})")},
       "AITRAIN", "lab-a",
       {{"P0", "withheld-no-consent"}, {"P1", "withheld-no-consent"}, {"P2", "withheld-opted-out"}, {"P3", "permitted"}}},
      {"DataPeriodExcludesOldStudies",
       {r4("a", "{P0}", R"({"type":"permit","provision":[{"type":"deny","dataPeriod":{"end":"{P0_FIRST}"}}]})")},
       "HRESCH", "lab-a", {{"P0@first", "withheld-opted-out"}, {"P0@second", "permitted"}}},
      // An identifier system the policy cannot reconcile with the study's issuer: the opt-out
      // still withholds (fail closed), a permit does not count.
      {"AnOptOutOfAnotherIssuerStillWithholds",
       {r4("a", "{P0}", kDenyResearch, "2025-01-01", "active", "OTHER_HOSPITAL")}, "HRESCH", "lab-a",
       {{"P0", "withheld-opted-out"}}},
      {"APermitOfAnotherIssuerDoesNotCount",
       {r4("a", "{P1}", R"({"type":"permit"})", "2025-01-01", "active", "OTHER_HOSPITAL"),
        r4("b", "{P3}", R"({"type":"permit"})")},
       "AITRAIN", "lab-a",
       {{"P0", "withheld-no-consent"}, {"P1", "withheld-no-consent"}, {"P2", "withheld-no-consent"}, {"P3", "permitted"}}},
      // The MII broad consent: research only where every MDAT module is permitted.
      {"MiiBroadConsentPermitsResearchOnlyWithEveryMdatModule",
       {r4("mii-all", "{P2}", "{\"type\":\"deny\",\"provision\":[" + kMiiModule("6") + "," + kMiiModule("7") + "," +
                                  kMiiModule("8") + "]}"),
        r4("mii-some", "{P3}", "{\"type\":\"deny\",\"provision\":[" + kMiiModule("6") + "]}")},
       "HRESCH", "lab-a", {{"P2", "permitted"}, {"P3", "withheld-opted-out"}}},
      {"MalformedInactiveAndEnteredInErrorAreRefusedOrIgnored",
       {"[" + r4("bad", "{P0}", R"({"purpose":[{"code":"HRESCH"}]})") + "," +
        r4("off", "{P0}", kDenyResearch, "2025-01-01", "inactive") + "," +
        r4("oops", "{P1}", kDenyResearch, "2025-01-01", "entered-in-error") + "]"},
       "HRESCH", "lab-a", {}, 3},
      {"CsvOptOutOfResearch", {kCsvHeader + "{P0},PPTH_MRN,HRESCH,,deny,,,2025-01-01\n"}, "HRESCH", "lab-a",
       {{"P0", "withheld-opted-out"}}},
      {"CsvDenyForOneRecipient",
       {kCsvHeader + "{P1},PPTH_MRN,,,permit,,,2025-01-01\n{P1},PPTH_MRN,,ai-co,deny,,,2025-01-02\n"}, "HRESCH", "ai-co",
       {{"P1", "withheld-opted-out"}}},
      {"CsvLaterPermitOverridesOptOut",
       {kCsvHeader + "{P0},PPTH_MRN,HRESCH,,permit,,,2025-01-01\n{P0},PPTH_MRN,HRESCH,,deny,2020-01-01,,2024-01-01\n"},
       "HRESCH", "lab-a", {}},
      // Rows without an issuer cannot be reconciled with the studies' PPTH_MRN: their opt-out
      // counts, their permit does not (the policy's [issuers] "" entry would reconcile them).
      {"CsvRowsWithoutAnIssuerOnlyDeny",
       {kCsvHeader + "{P0},,HRESCH,,permit,,,2025-01-01\n{P0},,HRESCH,,deny,2020-01-01,,2024-01-01\n"}, "HRESCH",
       "lab-a", {{"P0", "withheld-opted-out"}}},
  };
  return all;
}

const std::vector<std::string> kPurposes = {"HRESCH", "AITRAIN", "COMMDEV", "COMMAI", "HMARKT"};

class ExportScenarios : public ::testing::TestWithParam<Scenario> {
 protected:
  static void SetUpTestSuite() {
    dir = std::make_unique<TempDir>();
    auto synth = run_radveil("synth " + (dir->path() / "synth").string() + " --patients 4 --slices 2 --rows 32 --seed 3");
    ASSERT_EQ(synth.exit_code, 0) << synth.output;
    archive = dir->path() / "synth" / "archive";
    answer = nlohmann::json::parse(std::ifstream(dir->path() / "synth" / "answer-key.json"));
    key = dir->path() / "site.key";
    write_fixed_key(key, 9);
    for (const auto& i : answer["instances"]) {
      const std::string p = "P" + std::to_string(i["patient"].get<int>());
      dates[p].insert(i["study_date"].get<std::string>());
      if (ids.count(p)) continue;
      DcmFileFormat ff;
      if (ff.loadFile(OFFilename((archive / i["path"].get<std::string>()).c_str())).good())
        ids[p] = dicom::get_string(*ff.getDataset(), DCM_PatientID);
    }
  }
  static void TearDownTestSuite() { dir.reset(); }

  static std::string filled(std::string text) {
    for (const auto& [p, id] : ids)
      for (std::size_t at; (at = text.find("{" + p + "}")) != std::string::npos;) text.replace(at, p.size() + 2, id);
    const std::string first = *dates["P0"].begin();
    const std::string fhir_date = first.substr(0, 4) + "-" + first.substr(4, 2) + "-" + first.substr(6, 2);
    for (std::size_t at; (at = text.find("{P0_FIRST}")) != std::string::npos;) text.replace(at, 10, fhir_date);
    return text;
  }

  // What the scenario expects for one patient's study of one date.
  static std::string expected(const Scenario& s, const std::string& patient, const std::string& date) {
    const std::string which = date == *dates[patient].begin() ? "first" : "second";
    if (auto it = s.expected.find(patient + "@" + which); it != s.expected.end()) return it->second;
    if (auto it = s.expected.find(patient); it != s.expected.end()) return it->second;
    return "permitted";
  }

  static inline std::unique_ptr<TempDir> dir;
  static inline fs::path archive, key;
  static inline nlohmann::json answer;
  static inline std::map<std::string, std::string> ids;
  static inline std::map<std::string, std::set<std::string>> dates;
};

}  // namespace

TEST_P(ExportScenarios, WritesAndRecordsExactlyWhatConsentPermits) {
  const Scenario& s = GetParam();
  ASSERT_EQ(ids.size(), 4u);
  const fs::path state = dir->path() / ("state-" + s.name), out = dir->path() / ("out-" + s.name);
  const std::string state_flag = " --state " + state.string();
  ASSERT_EQ(run_radveil("recipient add lab-a --name LabA" + state_flag).exit_code, 0);
  ASSERT_EQ(run_radveil("recipient add ai-co --name AICo" + state_flag).exit_code, 0);
  for (std::size_t n = 0; n < s.imports.size(); ++n) {
    const bool csv = s.imports[n].rfind("patient_id", 0) == 0;
    const fs::path file = dir->path() / (s.name + "-" + std::to_string(n) + (csv ? ".csv" : ".json"));
    std::ofstream(file) << filled(s.imports[n]);
    const auto imported = run_radveil("consent import --source https://ehr.test/fhir " + file.string() + state_flag);
    EXPECT_EQ(imported.exit_code, n + 1 == s.imports.size() ? s.import_exit : 0) << imported.output;
  }
  const auto run = run_radveil("export " + archive.string() + " " + out.string() + " --key " + key.string() +
                               " --purpose " + s.purpose + " --recipient " + s.recipient + state_flag);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  // Recorded: one decision per patient and study date, under the export's id.
  std::string export_id;
  std::getline(std::ifstream(out / ".radveil" / "export-id"), export_id);
  std::map<std::pair<std::string, std::string>, std::string> recorded;
  for (const auto& d : store::open_state_store(state)->decisions(export_id))
    recorded[{d.patient.value, d.study_date}] = d.reason;
  // Written: every instance the synthetic archive expects de-identified is in OUT exactly when its
  // patient's study is permitted (found by its keyed name under the recipient's key).
  std::set<std::string> written;
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (e.is_regular_file()) written.insert(e.path().filename().string());
  const pseudonym::Pseudonymizer p(pseudonym::recipient_key(pseudonym::SecretKey::load_file(key), s.recipient));
  std::size_t checked = 0;
  for (const auto& i : answer["instances"]) {
    if (i["expect"] != "deidentified") continue;
    const std::string patient = "P" + std::to_string(i["patient"].get<int>());
    const std::string date = i["study_date"].get<std::string>();
    const std::string want = expected(s, patient, date);
    EXPECT_EQ(recorded[std::make_pair(ids[patient], date)], want) << patient << " study of " << date;
    EXPECT_EQ(written.count(p.uid(i["sop"].get<std::string>()) + ".dcm") == 1, want == "permitted")
        << patient << " study of " << date << " (" << i["path"].get<std::string>().substr(0, 1) << ")";
    ++checked;
  }
  EXPECT_GT(checked, 8u);
}

INSTANTIATE_TEST_SUITE_P(Consent, ExportScenarios, ::testing::ValuesIn(scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& info) { return info.param.name; });

// Without any consent on file, each purpose's default decides: research leaves, the rest stays.
TEST(ExportDefaults, WithoutConsentEachPurposesDefaultDecides) {
  TempDir dir;
  ASSERT_EQ(run_radveil("synth " + (dir.path() / "synth").string() + " --patients 2 --slices 2 --rows 32 --seed 4").exit_code, 0);
  write_fixed_key(dir / "k.key", 3);
  const std::string state = " --state " + (dir / "state").string();
  ASSERT_EQ(run_radveil("recipient add lab-a --name LabA" + state).exit_code, 0);
  for (const std::string& purpose : kPurposes) {
    const fs::path report = dir / (purpose + ".json");
    const auto run = run_radveil("export " + (dir / "synth" / "archive").string() + " " + (dir / ("out-" + purpose)).string() +
                                 " --key " + (dir / "k.key").string() + " --purpose " + purpose +
                                 " --recipient lab-a --report " + report.string() + state);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto j = nlohmann::json::parse(std::ifstream(report));
    if (purpose == "HRESCH") {
      EXPECT_EQ(j["counts"]["withheld"], 0) << purpose;
      EXPECT_GT(j["counts"]["deidentified"], 0) << purpose;
    } else {
      EXPECT_EQ(j["counts"]["deidentified"], 0) << purpose;
      EXPECT_GT(j["reasons"]["withheld"].value("withheld-no-consent", 0), 0) << purpose;
    }
  }
}

// An instance without a Patient ID cannot be decided: it is quarantined, never released.
TEST(ExportDefaults, AnInstanceWithoutAPatientIdIsQuarantined) {
  TempDir dir;
  fs::create_directories(dir / "in");
  DcmFileFormat ff;
  DcmDataset* ds = ff.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5");
  ds->putAndInsertString(DCM_StudyInstanceUID, "1.2.3.4");
  ds->putAndInsertString(DCM_SeriesInstanceUID, "1.2.3.4.1");
  ds->putAndInsertString(DCM_PatientName, "NOBODY^KNOWN");
  ASSERT_TRUE(ff.saveFile(OFFilename((dir / "in" / "x.dcm").c_str()), EXS_LittleEndianExplicit).good());
  write_fixed_key(dir / "k.key", 3);
  const std::string state = " --state " + (dir / "state").string();
  ASSERT_EQ(run_radveil("recipient add lab-a --name LabA" + state).exit_code, 0);
  const auto run = run_radveil("export " + (dir / "in").string() + " " + (dir / "out").string() + " --key " +
                               (dir / "k.key").string() + " --purpose HRESCH --recipient lab-a" + state);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("no-patient-identity: 1"), std::string::npos) << run.output;
}

}  // namespace radveil::test
