// The listener's bound on connections that have not yet sent an association request: a flood of
// silent connections ages out, the longest-waiting goes first, one address cannot take every
// place, and a deadline ends each wait.
#include "net/connection_gate.h"

#include <gtest/gtest.h>

namespace radveil::net {
namespace {

using namespace std::chrono_literals;
const auto t0 = ConnectionGate::Clock::time_point{} + 1h;

TEST(ConnectionGate, WithinTheBoundsNobodyIsDropped) {
  ConnectionGate gate(4, 2, 5s);
  EXPECT_TRUE(gate.admit(1, "10.0.0.1", t0).empty());
  EXPECT_TRUE(gate.admit(2, "10.0.0.2", t0).empty());
  EXPECT_TRUE(gate.admit(3, "10.0.0.1", t0).empty());
  EXPECT_EQ(gate.pending(), 3u);
}

TEST(ConnectionGate, PastTheTotalTheLongestWaitingIsDroppedFirst) {
  ConnectionGate gate(3, 10, 5s);
  for (std::uint64_t id = 1; id <= 3; ++id) gate.admit(id, "10.0.0." + std::to_string(id), t0 + std::chrono::seconds(id));
  EXPECT_EQ(gate.admit(4, "10.0.0.9", t0 + 4s), std::vector<std::uint64_t>{1});
  EXPECT_EQ(gate.admit(5, "10.0.0.9", t0 + 4s), std::vector<std::uint64_t>{2});
  EXPECT_EQ(gate.pending(), 3u);
  EXPECT_FALSE(gate.leave(1)) << "a dropped connection is no longer pending";
}

TEST(ConnectionGate, OneAddressLosesItsOwnOldestNotOtherCallersPlaces) {
  ConnectionGate gate(10, 2, 5s);
  gate.admit(1, "192.0.2.7", t0);
  gate.admit(2, "10.0.0.1", t0);  // an allowed caller, waiting
  gate.admit(3, "192.0.2.7", t0);
  EXPECT_EQ(gate.admit(4, "192.0.2.7", t0), std::vector<std::uint64_t>{1});
  EXPECT_EQ(gate.admit(5, "192.0.2.7", t0), std::vector<std::uint64_t>{3});
  EXPECT_TRUE(gate.leave(2)) << "the other address kept its place";
}

TEST(ConnectionGate, AFloodOfSilentConnectionsNeverKeepsANewCallerOut) {
  ConnectionGate gate(64, 8, 5s);
  std::uint64_t id = 0;
  for (int i = 0; i < 1000; ++i) gate.admit(++id, "198.51.100." + std::to_string(i % 250), t0);
  const std::uint64_t caller = ++id;
  EXPECT_EQ(gate.admit(caller, "10.0.0.1", t0).size(), 1u) << "one old silent connection makes room";
  EXPECT_LE(gate.pending(), 64u);
  EXPECT_TRUE(gate.leave(caller)) << "the newest connection is the last to be dropped";
}

TEST(ConnectionGate, TheDeadlineEndsEveryWait) {
  ConnectionGate gate(10, 10, 5s);
  gate.admit(1, "10.0.0.1", t0);
  gate.admit(2, "10.0.0.2", t0 + 3s);
  EXPECT_TRUE(gate.expired(t0 + 4s).empty());
  EXPECT_EQ(gate.expired(t0 + 5s), std::vector<std::uint64_t>{1});
  EXPECT_EQ(gate.expired(t0 + 9s), std::vector<std::uint64_t>{2});
  EXPECT_EQ(gate.pending(), 0u);
  EXPECT_FALSE(gate.leave(2));
}

TEST(ConnectionGate, AtStopEveryPendingConnectionIsHandedBack) {
  ConnectionGate gate(10, 10, 5s);
  gate.admit(1, "10.0.0.1", t0);
  gate.admit(2, "10.0.0.1", t0);
  EXPECT_EQ(gate.all(), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(gate.pending(), 0u);
}

}  // namespace
}  // namespace radveil::net
