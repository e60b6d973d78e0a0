// `radveil serve` end to end with real peers on loopback: an Orthanc PACS sends two patients'
// studies to the node (C-STORE), DCMTK's storescu sends a third patient over 4 parallel
// associations, and the node de-identifies for three routes: C-STORE to a research Orthanc, STOW-RS
// to the same Orthanc (DICOMweb plugin), and a folder. Patient 0 opted out of research.
#include <dcmtk/dcmdata/dctk.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "e2e/archive_fixture.h"
#include "ledger/disclosures.h"
#include "store/state_store.h"
#include "support/peers.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string tag_of(const fs::path& file, const DcmTagKey& tag) {
  DcmFileFormat f;
  OFString v;
  if (f.loadFile(file.c_str()).good()) f.getDataset()->findAndGetOFString(tag, v);
  return v.c_str();
}

class GatewayTest : public ArchiveTest {
 protected:
  static void SetUpTestSuite() {
    dir = std::make_unique<TempDir>();
    const fs::path d = dir->path();
    ASSERT_EQ(run_radveil("synth " + (d / "synth").string() + " --patients 3 --slices 2 --rows 64 --seed 31").exit_code, 0);
    archive = d / "synth" / "archive";
    answer = json::parse(std::ifstream(d / "synth" / "answer-key.json"));
    write_fixed_key(d / "site.key", 12);
    const std::string state = "--state " + (d / "state").string();
    for (const std::string r : {"lab-c", "lab-w", "lab-f"}) ASSERT_EQ(run_radveil("recipient add " + r + " --name " + r + " " + state).exit_code, 0);
    // Patient 0 opts out of research, for every recipient.
    std::string p0;
    for (const auto& i : answer["instances"])
      if (i["patient"] == 0 && p0.empty()) p0 = tag_of(archive / i["path"].get<std::string>(), DCM_PatientID);
    std::ofstream(d / "opt-out.json") << R"({"resourceType":"Consent","id":"p0","status":"active","dateTime":"2025-01-01",
      "patient":{"identifier":{"value":")" << p0 << R"("}},"policyRule":{"text":"opt-out"},
      "provision":{"type":"deny","purpose":[{"code":"HRESCH"}]}})";
    ASSERT_EQ(run_radveil("consent import --source https://ehr.test/fhir " + (d / "opt-out.json").string() + " " + state).exit_code, 0);

    destination = std::make_unique<Orthanc>(d / "research", "RESEARCH");
    node_port = free_port();
    pacs = std::make_unique<Orthanc>(d / "pacs", "PACS", std::vector<std::pair<std::string, std::pair<std::string, int>>>{
                                                             {"radveil", {"RADVEIL", node_port}}});
    std::ofstream(d / "node.toml") << "state = \"state\"\nkey = \"site.key\"\n[listen]\nae_title = \"RADVEIL\"\nport = " << node_port
                                   << "\nallow = [\"PACS\", \"STORESCU@127.0.0.1\"]\nstable_seconds = 2\n"
                                   << "[[route]]\nname = \"c\"\npurpose = \"HRESCH\"\nrecipient = \"lab-c\"\n"
                                   << "destination = { kind = \"dicom\", ae_title = \"RESEARCH\", host = \"127.0.0.1\", port = "
                                   << destination->dicom_port() << " }\n"
                                   << "[[route]]\nname = \"w\"\npurpose = \"HRESCH\"\nrecipient = \"lab-w\"\n"
                                   << "options = [\"retain-long-modified-dates\"]\n"
                                   << "destination = { kind = \"stow\", url = \"" << destination->url() << "/dicom-web/studies\" }\n"
                                   << "[[route]]\nname = \"f\"\npurpose = \"HRESCH\"\nrecipient = \"lab-f\"\n"
                                   << "destination = { kind = \"folder\", path = \"folder-out\" }\n";
    node = std::make_unique<Process>(std::vector<std::string>{RADVEIL_BINARY, "serve", "--config", (d / "node.toml").string()},
                                     d / "node.log");
    ASSERT_TRUE(wait_for_port(node_port, 20)) << read_file(d / "node.log");

    // Patients 0 and 1 from the PACS (Orthanc's C-STORE SCU), patient 2 from storescu.
    json ids = json::array();
    std::vector<std::string> patient2;
    for (const auto& i : answer["instances"]) {
      const fs::path file = archive / i["path"].get<std::string>();
      if (i["patient"] == 2) patient2.push_back(file.string());
      else if (const std::string id = pacs->upload(file); !id.empty()) ids.push_back(id);
    }
    pacs_send = http_post(pacs->url() + "/modalities/radveil/store", json{{"Resources", ids}, {"Synchronous", true}}.dump(),
                          "application/json");
    std::vector<std::unique_ptr<Process>> senders;
    for (std::size_t part = 0; part < 4; ++part) {
      std::vector<std::string> argv{"storescu", "-nh", "-aet", "STORESCU", "-aec", "RADVEIL", "127.0.0.1", std::to_string(node_port)};
      for (std::size_t k = part; k < patient2.size(); k += 4) argv.push_back(patient2[k]);
      senders.push_back(std::make_unique<Process>(argv, d / ("storescu-" + std::to_string(part) + ".log")));
    }
    for (auto& s : senders) storescu_status.push_back(s->stop_when_done());
    // Wait until every route has recorded every study it can (or a minute has passed).
    for (int i = 0; i < 600 && disclosures().size() < 3 * expected_studies().size(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::seconds(1));  // nothing more may arrive after that
    node_exit = node->stop();
  }
  static void TearDownTestSuite() {
    node.reset();
    pacs.reset();
    destination.reset();
    dir.reset();
  }

  static std::vector<ledger::Disclosure> disclosures() {
    try {
      return ledger::disclosures(store::open_state_store(dir->path() / "state")->ledger_entries());
    } catch (const std::exception&) {
      return {};
    }
  }
  // Original Study UIDs of patients 1 and 2 with something that may leave (not opted out).
  static std::set<std::string> expected_studies() {
    std::set<std::string> s;
    for (const auto& i : answer["instances"])
      if (i["patient"] != 0 && i["expect"] == "deidentified") s.insert(i["study"].get<std::string>());
    return s;
  }
  static std::size_t expected_instances() {
    std::size_t n = 0;
    for (const auto& i : answer["instances"]) n += i["patient"] != 0 && i["expect"] == "deidentified";
    return n;
  }

  static inline std::unique_ptr<Orthanc> destination, pacs;
  static inline std::unique_ptr<Process> node;
  static inline int node_port = 0, node_exit = -1;
  static inline HttpReply pacs_send;
  static inline std::vector<int> storescu_status;
};

}  // namespace

TEST_F(GatewayTest, PermittedStudiesArriveDeidentifiedAtEveryDestinationExactlyAsTheLedgerSays) {
  ASSERT_EQ(pacs_send.status, 200) << pacs_send.body;
  for (const int s : storescu_status) EXPECT_EQ(s, 0) << "every instance storescu sent was acknowledged";
  EXPECT_EQ(node_exit, 0) << "SIGTERM drains and stops cleanly: " << read_file(dir->path() / "node.log");

  // The ledger: one disclosure per permitted study and route; none for the patient who opted out.
  const auto all = disclosures();
  std::map<std::string, std::set<std::string>> ledger_sops;                      // recipient -> SOP UIDs
  std::map<std::string, std::set<std::string>> ledger_studies;                   // recipient -> original studies
  std::map<std::string, std::pair<std::string, std::set<std::string>>> by_study;  // pseudonymous study -> recipient, SOPs
  for (const auto& d : all) {
    EXPECT_TRUE(expected_studies().count(d.study_uid)) << "a disclosure of a study that may not leave";
    EXPECT_TRUE(ledger_studies[d.recipient].insert(d.study_uid).second) << "one record per study and route";
    for (const auto& s : d.sop_uids) EXPECT_TRUE(ledger_sops[d.recipient].insert(s).second) << "an instance recorded twice";
    by_study[d.pseudonymous_study_uid].first = d.recipient;
    by_study[d.pseudonymous_study_uid].second.insert(d.sop_uids.begin(), d.sop_uids.end());
  }
  for (const std::string r : {"lab-c", "lab-w", "lab-f"}) {
    EXPECT_EQ(ledger_studies[r], expected_studies()) << r;
    EXPECT_EQ(ledger_sops[r].size(), expected_instances()) << r;
  }

  // The research Orthanc holds exactly what the ledger says reached lab-c and lab-w, grouped in
  // the studies the ledger names, and no planted value.
  const json instances = destination->get("/instances?expand");
  ASSERT_TRUE(instances.is_array());
  std::set<std::string> arrived;
  const auto forms = planted_forms({"identity", "dates", "institution", "device"});
  std::vector<std::string> uids;
  for (const auto& u : answer["uids"]) uids.push_back(u.get<std::string>());
  for (const auto& i : instances) {
    const std::string sop = i["MainDicomTags"]["SOPInstanceUID"];
    EXPECT_TRUE(arrived.insert(sop).second);
    const json study = destination->get("/instances/" + i["ID"].get<std::string>() + "/study");
    const std::string study_uid = study["MainDicomTags"]["StudyInstanceUID"];
    ASSERT_TRUE(by_study.count(study_uid)) << "an instance in a study the ledger does not name";
    EXPECT_TRUE(by_study[study_uid].second.count(sop)) << "an instance in another study than its record's";
    const std::string bytes = http_get(destination->url() + "/instances/" + i["ID"].get<std::string>() + "/file").body;
    ASSERT_GT(bytes.size(), 132u);
    for (const auto& f : forms) EXPECT_EQ(bytes.find(f), std::string::npos) << "'" << f << "' reached the destination";
    for (const auto& u : uids) EXPECT_EQ(bytes.find(u), std::string::npos) << "an original UID reached the destination";
  }
  std::set<std::string> expected = ledger_sops["lab-c"];
  expected.insert(ledger_sops["lab-w"].begin(), ledger_sops["lab-w"].end());
  EXPECT_EQ(arrived, expected) << "C-STORE and STOW-RS routes: what arrived is what was recorded";

  // The folder route wrote the same number of instances, each named as recorded.
  std::set<std::string> in_folder;
  for (const auto& e : fs::recursive_directory_iterator(dir->path() / "folder-out"))
    if (e.is_regular_file()) in_folder.insert(e.path().stem().string());
  EXPECT_EQ(in_folder, ledger_sops["lab-f"]);
  // The opted-out patient's studies reached nobody: withheld, counted in the node's status.
  const json status = json::parse(std::ifstream(dir->path() / "state" / "node-status.json"));
  for (const auto& r : status["routes"]) EXPECT_GT(r["instances_withheld"].get<int>(), 0) << r.dump();
}

}  // namespace radveil::test
