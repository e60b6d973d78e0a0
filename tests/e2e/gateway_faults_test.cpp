// The node under faults: SIGKILL at random moments of intake, de-identification and forwarding
// loses and duplicates nothing; unknown callers, broken and stalled connections, an instance that
// cannot be de-identified and a destination that is down neither crash the node nor hold up the
// rest.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "ledger/disclosures.h"
#include "store/state_store.h"
#include "e2e/node_fixture.h"
#include "support/peers.h"
#include "support/test_support.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

}  // namespace

TEST(GatewayFaults, TenSigkillsAtRandomMomentsLoseAndDuplicateNothing) {
  TempDir peers;
  Orthanc destination(peers.path() / "research", "RESEARCH");
  // stable_seconds = 0: studies are handed on while they still arrive, so intake, de-identification
  // and forwarding overlap and a kill can land in any of them.
  NodeSetup s(2, dicom_route("research", destination.dicom_port()), "stable_seconds = 0\n");
  std::mt19937 rng(20261127);
  for (int kill = 0; kill < 10; ++kill) {
    auto node = s.start_node("node-" + std::to_string(kill) + ".log");
    auto sender = s.send_archive("storescu-" + std::to_string(kill) + ".log");
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 1500)(rng)));
    node->kill_now();
    sender->stop_when_done(30);  // its association died with the node: what it was not told is resent below
  }
  // The last start: everything is sent once more (acknowledged this time) and the node is left to finish.
  auto node = s.start_node("node-final.log");
  EXPECT_EQ(s.send_archive("storescu-final.log")->stop_when_done(60), 0) << read_file(s.dir.path() / "storescu-final.log");
  for (int i = 0; i < 600 && s.recorded_instances() < s.expected_instances(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(node->stop(), 0);

  // Exactly once, counted by de-identified SOP Instance UID: the destination holds every instance
  // that may leave, and the ledger records each of them once, no more, no fewer.
  std::set<std::string> recorded;
  for (const auto& d : s.disclosures())
    for (const auto& sop : d.sop_uids) EXPECT_TRUE(recorded.insert(sop).second) << "recorded twice";
  std::set<std::string> arrived;
  for (const auto& i : destination.get("/instances?expand")) arrived.insert(i["MainDicomTags"]["SOPInstanceUID"].get<std::string>());
  EXPECT_EQ(recorded.size(), s.expected_instances());
  EXPECT_EQ(arrived, recorded);
  EXPECT_EQ(run_radveil("ledger verify --state " + (s.dir.path() / "state").string()).exit_code, 0);
}

TEST(GatewayFaults, UnknownCallersBrokenPeersAndADownDestinationNeverStopTheNode) {
  TempDir peers;
  const int down_port = free_port();  // the research destination is down at first
  const int status_port = free_port();
  NodeSetup s(1,
              dicom_route("research", down_port) +
                  "[[route]]\nname = \"folder\"\npurpose = \"HRESCH\"\nrecipient = \"lab\"\n"
                  "destination = { kind = \"folder\", path = \"folder-out\" }\n",
              "stable_seconds = 1\ntimeout_seconds = 2\n[status]\nport = " + std::to_string(status_port) + "\n");
  auto node = s.start_node();
  const std::string port = std::to_string(s.port);
  // An unknown calling AE title is rejected at association time; a known one is served.
  EXPECT_NE(std::system(("echoscu -aet INTRUDER -aec RADVEIL 127.0.0.1 " + port + " >/dev/null 2>&1").c_str()), 0);
  EXPECT_EQ(std::system(("echoscu -aet SENDER -aec RADVEIL 127.0.0.1 " + port + " >/dev/null 2>&1").c_str()), 0);
  // A peer that sends garbage instead of an A-ASSOCIATE-RQ, and one that connects and says nothing.
  const int garbage = connect_to(s.port);
  const std::string junk = "\x01\x00\xff\xff\xff\xf0GET / HTTP/1.0\r\n\r\n";
  ::send(garbage, junk.data(), junk.size(), MSG_NOSIGNAL);
  const int stalled = connect_to(s.port);
  // Meanwhile the archive is sent and served.
  EXPECT_EQ(s.send_archive("storescu.log")->stop_when_done(60), 0) << read_file(s.dir.path() / "storescu.log");
  ::close(garbage);
  // The folder route delivers although the research destination is down; the research route retries.
  const auto folder_files = [&] {
    std::size_t n = 0;
    if (fs::exists(s.dir.path() / "folder-out"))
      for (const auto& e : fs::recursive_directory_iterator(s.dir.path() / "folder-out")) n += e.is_regular_file();
    return n;
  };
  for (int i = 0; i < 300 && folder_files() < s.expected_instances(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(folder_files(), s.expected_instances());
  const auto status = [&] { return json::parse(run_radveil("status --json --config " + (s.dir.path() / "node.toml").string()).output); };
  json research;
  for (int i = 0; i < 100; ++i) {
    const json now = status();
    for (const auto& r : now["routes"])
      if (r["name"] == "research") research = r;
    if (research.is_object() && research["retries"].get<int>() > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(research.is_object()) << run_radveil("status --json --config " + (s.dir.path() / "node.toml").string()).output;
  EXPECT_GT(research["retries"].get<int>(), 0);
  EXPECT_NE(research["last_error"].get<std::string>().find("127.0.0.1:" + std::to_string(down_port)), std::string::npos)
      << research.dump();
  // The instance that cannot be de-identified safely (burned-in text, no pixel cleaning) waits in
  // the quarantine and is never delivered.
  const json after = status();
  for (const auto& r : after["routes"]) EXPECT_EQ(r["instances_quarantined"].get<int>(), 1) << r.dump();
  // The destination comes up: the research route delivers everything it holds.
  Orthanc destination(peers.path() / "research", "RESEARCH", {}, down_port);
  std::size_t arrived = 0;
  for (int i = 0; i < 300 && arrived < s.expected_instances(); ++i) {
    const json instances = destination.get("/instances");
    arrived = instances.is_array() ? instances.size() : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(arrived, s.expected_instances());
  // Late arrivals: a new instance of a study already delivered is a follow-up, recorded on its own
  // and landing in the same pseudonymous study.
  const fs::path late = s.dir.path() / "late.dcm";
  std::string late_study;
  for (const auto& i : s.answer["instances"])
    if (i["expect"] == "deidentified" && late_study.empty()) {
      fs::copy_file(s.dir.path() / "synth" / "archive" / i["path"].get<std::string>(), late);
      late_study = i["study"];
    }
  ASSERT_EQ(std::system(("dcmodify -nb -m \"(0008,0018)=1.2.826.0.1.3680043.10.99.777\" " + late.string() + " >/dev/null 2>&1").c_str()), 0);
  ASSERT_EQ(std::system(("storescu -aet SENDER -aec RADVEIL 127.0.0.1 " + port + " " + late.string() + " >/dev/null 2>&1").c_str()), 0);
  std::set<std::string> pseudonymous;
  std::size_t records = 0;
  const auto count_records = [&] {
    pseudonymous.clear();
    records = 0;
    for (const auto& d : s.disclosures())
      if (d.study_uid == late_study && d.recipient == "lab") {
        ++records;
        pseudonymous.insert(d.pseudonymous_study_uid);
      }
    return records;
  };
  // Recorded once the destinations acknowledged it: wait for the file and the records.
  for (int i = 0; i < 100 && (folder_files() < s.expected_instances() + 1 || count_records() < 4); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(folder_files(), s.expected_instances() + 1);
  EXPECT_GE(records, 4u) << "each route's record(s) of the study, and each route's follow-up";
  EXPECT_EQ(pseudonymous.size(), 1u) << "a follow-up lands in the same pseudonymous study";
  // Operations: the status endpoint answers on loopback, as JSON and as Prometheus text.
  const HttpReply json_status = http_get("http://127.0.0.1:" + std::to_string(status_port) + "/status");
  EXPECT_EQ(json_status.status, 200);
  EXPECT_EQ(json::parse(json_status.body)["associations"]["rejected"].get<int>() >= 1, true) << json_status.body;
  const HttpReply metrics = http_get("http://127.0.0.1:" + std::to_string(status_port) + "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("radveil_route_instances_delivered_total{route=\"folder\"}"), std::string::npos) << metrics.body;
  EXPECT_EQ(http_get("http://127.0.0.1:" + std::to_string(status_port) + "/other").status, 404);
  // The node's log is JSON lines, and names no patient.
  ::close(stalled);
  EXPECT_TRUE(node->running()) << "the node is still up";
  EXPECT_EQ(node->stop(), 0);
  std::istringstream log(read_file(s.dir.path() / "node.log"));
  std::size_t events = 0;
  for (std::string line; std::getline(log, line);) {
    if (line.empty() || line[0] != '{') continue;  // DCMTK's own lines (there should be none)
    const json e = json::parse(line);
    EXPECT_TRUE(e.contains("time") && e.contains("event")) << line;
    ++events;
  }
  EXPECT_GT(events, 5u);
  const std::string text = read_file(s.dir.path() / "node.log");
  for (const auto& v : s.answer["planted"]["identity"]) EXPECT_EQ(text.find(v.get<std::string>()), std::string::npos) << v;
}

}  // namespace radveil::test

namespace radveil::test {

TEST(GatewayTls, OnlyCallersWithATrustedCertificateAreServedAndForwardingIsEncryptedToo) {
  TempDir peers;
  const fs::path certs = peers.path();
  ASSERT_TRUE(make_test_certificates(certs));
  // The destination: DCMTK's storescp over TLS, requiring our node's client certificate.
  const int destination_port = free_port();
  fs::create_directories(peers.path() / "received");
  Process storescp({"storescp", "+tls", (certs / "server.key").string(), (certs / "server.pem").string(), "+cf",
                    (certs / "ca.pem").string(), "-od", (peers.path() / "received").string(), std::to_string(destination_port)},
                   peers.path() / "storescp.log");
  ASSERT_TRUE(wait_for_port(destination_port, 10));
  const std::string tls = "tls = { cert_file = \"" + (certs / "client.pem").string() + "\", key_file = \"" +
                          (certs / "client.key").string() + "\", ca_file = \"" + (certs / "ca.pem").string() + "\" }";
  NodeSetup s(1,
              "[[route]]\nname = \"research\"\npurpose = \"HRESCH\"\nrecipient = \"lab\"\n"
              "destination = { kind = \"dicom\", ae_title = \"STORESCP\", host = \"127.0.0.1\", port = " +
                  std::to_string(destination_port) + ", " + tls + " }\n",
              "stable_seconds = 1\n[listen.tls]\ncert_file = \"" + (certs / "server.pem").string() + "\"\nkey_file = \"" +
                  (certs / "server.key").string() + "\"\nca_file = \"" + (certs / "ca.pem").string() + "\"\n");
  auto node = s.start_node();
  const std::string port = std::to_string(s.port), archive = (s.dir.path() / "synth" / "archive").string();
  const std::string client = " +tls " + (certs / "client.key").string() + " " + (certs / "client.pem").string() + " +cf " +
                             (certs / "ca.pem").string();
  const auto run = [](const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); };
  // Clear text, and TLS without a client certificate, are refused; TLS with one is served.
  EXPECT_NE(run("echoscu -aet SENDER -aec RADVEIL 127.0.0.1 " + port), 0);
  EXPECT_NE(run("echoscu +tla +cf " + (certs / "ca.pem").string() + " -aet SENDER -aec RADVEIL 127.0.0.1 " + port), 0);
  EXPECT_EQ(run("storescu -nh +sd +r" + client + " -aet SENDER -aec RADVEIL 127.0.0.1 " + port + " " + archive), 0);
  // The route forwards over TLS with the node's own certificate.
  const auto received = [&] {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(peers.path() / "received")) n += e.is_regular_file();
    return n;
  };
  // Recorded after the destination acknowledged the study's last instance: wait for both.
  for (int i = 0; i < 300 && (received() < s.expected_instances() || s.recorded_instances() < s.expected_instances()); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(received(), s.expected_instances()) << read_file(peers.path() / "storescp.log");
  EXPECT_EQ(s.recorded_instances(), s.expected_instances());
  EXPECT_EQ(node->stop(), 0);
}

}  // namespace radveil::test
