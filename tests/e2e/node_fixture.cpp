#include "e2e/node_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "store/state_store.h"

namespace radveil::test {

namespace fs = std::filesystem;
using nlohmann::json;

NodeSetup::NodeSetup(ArchiveShape shape, const std::string& routes, const std::string& listen_extra, fs::path state_dir)
    : state(state_dir.empty() ? dir.path() / "state" : std::move(state_dir)) {
  const fs::path d = dir.path();
  EXPECT_EQ(run_radveil("synth " + (d / "synth").string() + " --patients " + std::to_string(shape.patients) + " --slices " +
                        std::to_string(shape.slices) + " --rows " + std::to_string(shape.rows) + " --seed 41")
                .exit_code,
            0);
  answer = json::parse(std::ifstream(d / "synth" / "answer-key.json"));
  write_fixed_key(d / "site.key", 13);
  EXPECT_EQ(run_radveil("recipient add lab --name Lab --state " + state.string()).exit_code, 0);
  std::ofstream(d / "node.toml") << "state = \"" << state.string() << "\"\nkey = \"site.key\"\n[listen]\nae_title = \"RADVEIL\"\nport = "
                                 << port << "\nallow = [\"SENDER\"]\n" << listen_extra << routes;
}

std::unique_ptr<Process> NodeSetup::start_node(const std::string& log) const {
  auto node = std::make_unique<Process>(
      std::vector<std::string>{RADVEIL_BINARY, "serve", "--config", (dir.path() / "node.toml").string()}, dir.path() / log);
  EXPECT_TRUE(wait_for_port(port, 20)) << read_file(dir.path() / log);
  return node;
}

std::unique_ptr<Process> NodeSetup::send_archive(const std::string& log, const std::vector<std::string>& extra) const {
  std::vector<std::string> argv{"storescu", "-nh", "+sd", "+r", "-aet", "SENDER", "-aec", "RADVEIL"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  for (const auto& a : {std::string("127.0.0.1"), std::to_string(port), (dir.path() / "synth" / "archive").string()}) argv.push_back(a);
  return std::make_unique<Process>(argv, dir.path() / log);
}

std::vector<ledger::Disclosure> NodeSetup::disclosures() const {
  try {
    return ledger::disclosures(store::open_state_store(state)->ledger_entries());
  } catch (const std::exception&) {
    return {};
  }
}

std::size_t NodeSetup::expected_instances() const {
  std::size_t n = 0;
  for (const auto& i : answer["instances"]) n += i["expect"] == "deidentified";
  return n;
}

std::size_t NodeSetup::recorded_instances() const {
  std::size_t n = 0;
  for (const auto& d : disclosures()) n += d.sop_uids.size();
  return n;
}

std::string dicom_route(const std::string& name, int port) {
  return "[[route]]\nname = \"" + name + "\"\npurpose = \"HRESCH\"\nrecipient = \"lab\"\nretry_initial_seconds = 1\nretry_max_seconds = 2\n"
         "destination = { kind = \"dicom\", ae_title = \"RESEARCH\", host = \"127.0.0.1\", port = " + std::to_string(port) +
         ", timeout_seconds = 5 }\n";
}

std::string folder_route(const std::string& name, const fs::path& folder) {
  return "[[route]]\nname = \"" + name + "\"\npurpose = \"HRESCH\"\nrecipient = \"lab\"\nretry_initial_seconds = 1\nretry_max_seconds = 2\n"
         "destination = { kind = \"folder\", path = \"" + folder.string() + "\" }\n";
}

int connect_to(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  EXPECT_EQ(::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  return s;
}

}  // namespace radveil::test
