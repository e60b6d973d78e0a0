// Audit messages reach a real syslog collector: rsyslog on loopback, TLS with certificates both
// ways (RFC 5425). An export to a recipient sends, per study disclosed, 110102 Begin Transferring,
// 110104 DICOM Instances Transferred and 110106 Export; a ledger that fails its check sends 110113
// Security Alert. What arrived is parsed by Python's XML parser (tests/tools/audit_messages.py),
// not radveil's, and checked for what PS3.15 A.5 requires of each event.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "ledger/disclosures.h"
#include "store/state_db.h"
#include "store/state_store.h"
#include "support/peers.h"
#include "support/test_support.h"

extern char** environ;

namespace radveil::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int shell(const std::string& command) { return std::system(("{ " + command + "; } >/dev/null 2>&1").c_str()); }

class AuditCollectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(shell("command -v rsyslogd && command -v openssl"), 0)
        << "rsyslog and openssl are needed (scripts/install-deps.sh installs them)";
    dir = std::make_unique<TempDir>();
    const fs::path d = dir->path();
    ASSERT_TRUE(make_test_certificates(d));
    port = free_port();
    std::ofstream(d / "rsyslog.conf") << "global(workDirectory=\"" << d.string() << "\" maxMessageSize=\"64k\"\n"
                                      << "  DefaultNetstreamDriver=\"gtls\" DefaultNetstreamDriverCAFile=\"" << (d / "ca.pem").string()
                                      << "\"\n  DefaultNetstreamDriverCertFile=\"" << (d / "server.pem").string()
                                      << "\" DefaultNetstreamDriverKeyFile=\"" << (d / "server.key").string() << "\")\n"
                                      << "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" "
                                         "StreamDriver.AuthMode=\"x509/certvalid\")\n"
                                      << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << port << "\")\n"
                                      << "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n"
                                      << "if $app-name == \"radveil\" then action(type=\"omfile\" file=\"" << (d / "received.log").string()
                                      << "\" template=\"raw\")\n";
    const std::string conf = (d / "rsyslog.conf").string(), pid = (d / "rsyslogd.pid").string();
    std::vector<std::string> args{"rsyslogd", "-n", "-f", conf, "-i", pid};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ASSERT_EQ(posix_spawnp(&collector, "rsyslogd", nullptr, nullptr, argv.data(), environ), 0);
    ASSERT_TRUE(wait_for_port(port, 10)) << "rsyslogd did not start listening on 127.0.0.1:" << port;

    std::ofstream(d / "audit.toml") << "source_id = \"radveil@test-gateway\"\n[syslog]\nhost = \"127.0.0.1\"\nport = " << port
                                    << "\nca_file = \"ca.pem\"\ncert_file = \"client.pem\"\nkey_file = \"client.key\"\n";
    ASSERT_EQ(run_radveil("synth " + (d / "synth").string() + " --patients 2 --slices 2 --rows 32 --seed 21").exit_code, 0);
    write_fixed_key(d / "site.key", 9);
    state = d / "state";
    ASSERT_EQ(run_radveil("recipient add lab-a --name 'Lab A' --address '1 Main St' --state " + state.string()).exit_code, 0);
    exported = run_radveil("export " + (d / "synth" / "archive").string() + " " + (d / "out").string() + " --key " +
                           (d / "site.key").string() + " --purpose HRESCH --recipient lab-a --state " + state.string() +
                           " --audit-config " + (d / "audit.toml").string());
  }
  static void TearDownTestSuite() {
    if (collector > 0) {
      kill(collector, SIGTERM);
      waitpid(collector, nullptr, 0);
    }
    dir.reset();
  }

  // The messages the collector wrote, once there are `count` of them (or after 20 s).
  static std::vector<json> received(std::size_t count) {
    const fs::path log = dir->path() / "received.log";
    for (int i = 0; i < 400; ++i) {
      std::ifstream in(log);
      std::size_t lines = 0;
      for (std::string line; std::getline(in, line);) lines += !line.empty();
      if (lines >= count) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const fs::path parsed = dir->path() / "parsed.jsonl";
    EXPECT_EQ(std::system(("/usr/bin/python3 " + std::string(RADVEIL_SOURCE_DIR) + "/tests/tools/audit_messages.py " +
                           log.string() + " > " + parsed.string())
                              .c_str()),
              0);
    std::vector<json> out;
    std::ifstream in(parsed);
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
    return out;
  }

  static std::vector<ledger::Disclosure> disclosures() {
    return ledger::disclosures(store::open_state_store(state)->ledger_entries());
  }

  static inline std::unique_ptr<TempDir> dir;
  static inline fs::path state;
  static inline int port = 0;
  static inline pid_t collector = 0;
  static inline CommandResult exported;
};

const json* object_with(const json& m, const std::string& type, const std::string& role) {
  for (const auto& o : m["objects"])
    if (o["type"] == type && o["role"] == role) return &o;
  return nullptr;
}

bool has_role(const json& m, const std::string& code) {
  for (const auto& p : m["participants"])
    for (const auto& r : p["roles"])
      if (r["csd-code"] == code) return true;
  return false;
}

}  // namespace

TEST_F(AuditCollectorTest, EveryStudyDisclosedArrivesAsBeginTransferredAndExport) {
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const auto all = disclosures();
  ASSERT_EQ(all.size(), 4u);  // 2 patients x (CT + MR)
  const auto messages = received(3 * all.size());
  ASSERT_EQ(messages.size(), 3 * all.size()) << "every message the export recorded arrived, and no other";
  // What arrived is the audit file, message by message.
  std::ifstream file(state / "audit.log");
  std::size_t lines = 0;
  for (std::string line; std::getline(file, line);) ++lines;
  EXPECT_EQ(lines, messages.size());

  std::map<std::string, std::map<std::string, int>> events_by_study;  // study -> event -> count
  for (const auto& m : messages) {
    ASSERT_FALSE(m.contains("error")) << m.dump();
    // RFC 5424 header: authpriv.notice, radveil, the DICOM MSGID.
    EXPECT_EQ(m["pri"], 85);
    EXPECT_EQ(m["app"], "radveil");
    EXPECT_EQ(m["msgid"], "DICOM+RFC3881");
    EXPECT_EQ(m["root"], "AuditMessage");
    // Event identification: ID, action, time, outcome.
    const auto& e = m["event"];
    EXPECT_EQ(e["id"]["codeSystemName"], "DCM");
    EXPECT_EQ(e["outcome"], "0");
    EXPECT_FALSE(e["time"].get<std::string>().empty());
    ASSERT_EQ(m["source"].size(), 1u);
    EXPECT_EQ(m["source"][0]["id"], "radveil@test-gateway");
    // At least one participant is the requestor; radveil is the source of the data.
    bool requestor = false;
    for (const auto& p : m["participants"]) requestor |= p["requestor"] == "true";
    EXPECT_TRUE(requestor) << m.dump();
    EXPECT_TRUE(has_role(m, "110153")) << "radveil as Source Role ID";
    // Objects: the study (by Study Instance UID) and the patient.
    const json* study = object_with(m, "2", "3");
    const json* patient = object_with(m, "1", "1");
    ASSERT_TRUE(study && patient) << m.dump();
    EXPECT_EQ((*study)["id_type"]["csd-code"], "110180");
    EXPECT_EQ((*patient)["id_type"]["csd-code"], "2");
    ASSERT_EQ(e["purposes"].size(), 1u);
    EXPECT_EQ(e["purposes"][0]["csd-code"], "HRESCH");
    const std::string code = e["id"]["csd-code"];
    ++events_by_study[(*study)["id"].get<std::string>()][code];
    if (code == "110102") {
      EXPECT_EQ(e["action"], "E");
      EXPECT_TRUE(has_role(m, "110152")) << "the recipient as Destination Role ID";
    } else if (code == "110104") {
      EXPECT_EQ(e["action"], "R");
      EXPECT_TRUE(has_role(m, "110152"));
      EXPECT_FALSE((*study)["sop_classes"].empty());
    } else if (code == "110106") {
      EXPECT_EQ(e["action"], "R");
      EXPECT_TRUE(has_role(m, "110154")) << "the output as Destination Media";
      const json* recipient = object_with(m, "3", "16");
      const json* purpose = object_with(m, "2", "13");
      ASSERT_TRUE(recipient && purpose) << m.dump();
      EXPECT_EQ((*recipient)["id"], "lab-a");
      EXPECT_EQ((*recipient)["name"], "Lab A");
      EXPECT_EQ((*purpose)["id"], "HRESCH");
      EXPECT_EQ((*study)["anonymized"], "true");
    } else {
      ADD_FAILURE() << "unexpected event " << code;
    }
  }
  // Each disclosed study: exactly one of each event, naming its patient and instance count.
  for (const auto& d : all) {
    EXPECT_EQ(events_by_study[d.study_uid], (std::map<std::string, int>{{"110102", 1}, {"110104", 1}, {"110106", 1}}))
        << d.study_uid;
    for (const auto& m : messages) {
      const json* study = object_with(m, "2", "3");
      if ((*study)["id"] != d.study_uid || m["event"]["id"]["csd-code"] != "110106") continue;
      EXPECT_EQ((*object_with(m, "1", "1"))["id"], d.patient.value + "^^^" + d.patient.system);
      std::uint64_t instances = 0;
      for (const auto& s : (*study)["sop_classes"]) instances += std::stoull(s["instances"].get<std::string>());
      EXPECT_EQ(instances, d.instances);
    }
  }
}

TEST_F(AuditCollectorTest, ALedgerThatFailsItsCheckRaisesASecurityAlert) {
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const std::size_t before = received(3 * disclosures().size()).size();
  const fs::path tampered = dir->path() / "state-tampered";
  fs::copy(state, tampered, fs::copy_options::recursive);
  store::StateDb(tampered / "radveil.sqlite").exec("UPDATE ledger_entry SET body = replace(body, 'HRESCH', 'HMARKT') WHERE position = 1");
  const auto verify = run_radveil("ledger verify --state " + tampered.string() + " --audit-config " + (dir->path() / "audit.toml").string());
  EXPECT_EQ(verify.exit_code, 3) << verify.output;
  const auto messages = received(before + 1);
  ASSERT_EQ(messages.size(), before + 1);
  const json& alert = messages.back();
  EXPECT_EQ(alert["pri"], 84) << "authpriv.warning: a failure";
  EXPECT_EQ(alert["event"]["id"]["csd-code"], "110113");
  EXPECT_EQ(alert["event"]["outcome"], "12");
  ASSERT_EQ(alert["event"]["types"].size(), 1u);
  ASSERT_EQ(alert["objects"].size(), 1u);
  const std::string description = alert["objects"][0]["details"]["Alert Description"];  // base64
  EXPECT_FALSE(description.empty());
  EXPECT_NE(alert["event"]["description"].get<std::string>().find("record 1"), std::string::npos) << alert.dump();
}

TEST_F(AuditCollectorTest, ACollectorWithAnUntrustedCertificateGetsNothing) {
  // This node trusts another CA: the handshake fails, the messages wait in the file, and the
  // error names the collector and the reason, never a message's content.
  const fs::path d = dir->path() / "untrusting";
  fs::create_directories(d);
  ASSERT_EQ(shell("cd " + d.string() + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                  "-keyout other.key -out other-ca.pem -days 2 -subj /CN=other-ca"),
            0);
  std::ofstream(d / "audit.toml") << "[syslog]\nhost = \"127.0.0.1\"\nport = " << port << "\nca_file = \"other-ca.pem\"\n"
                                  << "cert_file = \"" << (dir->path() / "client.pem").string() << "\"\nkey_file = \""
                                  << (dir->path() / "client.key").string() << "\"\n";
  const fs::path tampered = d / "state";
  fs::copy(state, tampered, fs::copy_options::recursive);
  fs::remove(tampered / "audit.log.sent");  // everything in this copy waits for the collector
  const auto flushed = run_radveil("audit flush --state " + tampered.string() + " --audit-config " + (d / "audit.toml").string());
  EXPECT_EQ(flushed.exit_code, 3) << flushed.output;
  EXPECT_NE(flushed.output.find("not trusted"), std::string::npos) << flushed.output;
  EXPECT_EQ(flushed.output.find("MRN"), std::string::npos) << "no patient value in the error";
}

}  // namespace radveil::test
