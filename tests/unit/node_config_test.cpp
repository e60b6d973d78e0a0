// `radveil serve`'s configuration: the keys the issue promises work as shown, the shipped example
// is valid, and every mistake is refused by name.
#include <gtest/gtest.h>

#include "gateway/node_config.h"

namespace radveil::gateway {
namespace {

const char* kMinimal = R"(
state = "state"
key = "site.key"
[listen]
ae_title = "RADVEIL"
port = 11112
allow = ["PACS", "CT01@10.1.2.3"]
stable_seconds = 60
[[route]]
name = "acme"
purpose = "HRESCH"
recipient = "acme-ai"
options = ["retain-long-modified-dates", "clean-pixel-data"]
destination = { kind = "dicom", ae_title = "RESEARCH", host = "127.0.0.1", port = 4242 }
)";

std::string with(const std::string& from, const std::string& to) {
  std::string text = kMinimal;
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("not in the example: " + from);
  return text.replace(at, from.size(), to);
}

TEST(NodeConfig, TheDocumentedKeysWorkAsShown) {
  const NodeConfig c = parse_node_config(kMinimal, "/etc/radveil");
  EXPECT_EQ(c.state, "/etc/radveil/state");
  EXPECT_EQ(c.key, "/etc/radveil/site.key");
  EXPECT_EQ(c.listen.ae_title, "RADVEIL");
  EXPECT_EQ(c.listen.port, 11112);
  ASSERT_EQ(c.listen.allow.size(), 2u);
  EXPECT_EQ(c.listen.allow[1].ae_title, "CT01");
  EXPECT_EQ(c.listen.allow[1].host, "10.1.2.3");
  EXPECT_EQ(c.listen.stable_seconds, 60);
  EXPECT_EQ(c.listen.request_seconds, 5) << "the defaults that bound unauthenticated peers";
  EXPECT_EQ(c.listen.max_pending_connections, 64);
  EXPECT_EQ(c.listen.max_pending_per_host, 8);
  EXPECT_EQ(c.listen.min_free_mb, 256u);
  const NodeConfig tight = parse_node_config(
      with("stable_seconds = 60", "stable_seconds = 60\nrequest_seconds = 2\nmax_pending_connections = 16\n"
                                  "max_pending_per_host = 2\nmin_free_mb = 1024"),
      "/e");
  EXPECT_EQ(tight.listen.request_seconds, 2);
  EXPECT_EQ(tight.listen.max_pending_connections, 16);
  EXPECT_EQ(tight.listen.max_pending_per_host, 2);
  EXPECT_EQ(tight.listen.min_free_mb, 1024u);
  ASSERT_EQ(c.routes.size(), 1u);
  EXPECT_EQ(c.routes[0].recipient, "acme-ai");
  EXPECT_TRUE(c.routes[0].options.clean_pixel_data);
  EXPECT_EQ(c.routes[0].destination.kind, Destination::Kind::Dicom);
  EXPECT_EQ(c.routes[0].destination.describe(), "dicom RESEARCH@127.0.0.1:4242");
  EXPECT_FALSE(c.routes[0].scan_gate.has_value());
  const NodeConfig gated = parse_node_config(with("recipient = \"acme-ai\"", "recipient = \"acme-ai\"\nscan_gate = \"medium\""), "/e");
  EXPECT_EQ(gated.routes[0].scan_gate, scan::FailLevel::Medium);
}

TEST(NodeConfig, TheShippedExampleIsValid) {
  const NodeConfig c = load_node_config(std::string(RADVEIL_SOURCE_DIR) + "/examples/radveil-node.toml");
  EXPECT_EQ(c.routes.size(), 3u);
  EXPECT_EQ(c.routes[1].destination.kind, Destination::Kind::Stow);
  EXPECT_EQ(c.routes[2].destination.kind, Destination::Kind::Folder);
  EXPECT_EQ(c.status_port, 8099);
  EXPECT_EQ(c.routes[0].scan_gate, scan::FailLevel::High);
}

TEST(NodeConfig, MistakesAreRefusedByName) {
  const auto refused = [](const std::string& text, const std::string& words) {
    try {
      parse_node_config(text, "/e");
    } catch (const NodeConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
      return;
    }
    ADD_FAILURE() << "accepted: " << words;
  };
  refused(with("state = \"state\"\n", ""), "state is needed");
  refused(with("allow = [\"PACS\", \"CT01@10.1.2.3\"]", "allow = []"), "listen.allow");
  refused(with("\"CT01@10.1.2.3\"", "\"A-TITLE-LONGER-THAN-16\""), "not an AE title");
  refused(with("port = 11112", "port = 0"), "listen.port");
  refused(with("\"clean-pixel-data\"", "\"clean-pixels\""), "unknown option 'clean-pixels'");
  refused(with("kind = \"dicom\"", "kind = \"ftp\""), "kind must be");
  refused(with("host = \"127.0.0.1\", ", ""), "host is needed");
  refused(with("name = \"acme\"", "name = \"../acme\""), "name must be");
  refused(with("stable_seconds = 60", "stable_seconds = 60\nstable = 1"), "unknown key listen.stable");
  refused(with("stable_seconds = 60", "stable_seconds = 60\nrequest_seconds = 0"), "listen.request_seconds");
  refused(with("stable_seconds = 60", "stable_seconds = 60\nmax_pending_per_host = -1"), "listen.max_pending_per_host");
  refused(with("recipient = \"acme-ai\"", "recipient = \"acme-ai\"\nscan_gate = \"none\""), "scan_gate must be");
  refused(std::string(kMinimal) + "[[route]]\nname = \"acme\"\npurpose = \"HRESCH\"\nrecipient = \"x\"\n"
                                  "destination = { kind = \"folder\", path = \"o\" }\n",
          "two routes are named acme");
  refused(with("destination = { kind = \"dicom\", ae_title = \"RESEARCH\", host = \"127.0.0.1\", port = 4242 }",
               "destination = { kind = \"stow\", url = \"ftp://x\" }"),
          "url must be");
}

}  // namespace
}  // namespace radveil::gateway
