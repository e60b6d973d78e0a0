// The state store keeps recipients, consents and export decisions; its schema is versioned.
#include <gtest/gtest.h>

#include "consent/consent_import.h"
#include "support/consent_from_server.h"
#include "store/state_db.h"
#include "store/state_store.h"
#include "support/test_support.h"

namespace radveil::store {

TEST(StateStore, RegistersARecipientOnceAndRefusesToChangeItSilently) {
  test::TempDir dir;
  auto store = open_state_store(dir.path() / "state");
  const consent::Recipient lab{"lab-a", "Lab A", "1 Main St", "", "DUA-7"};
  EXPECT_EQ(store->add_recipient(lab), PutResult::Added);
  EXPECT_EQ(store->add_recipient(lab), PutResult::Unchanged);
  consent::Recipient moved = lab;
  moved.address = "2 Other St";
  EXPECT_THROW(store->add_recipient(moved), StoreError);
  EXPECT_EQ(store->recipient("lab-a"), lab);
  EXPECT_FALSE(store->recipient("nobody"));
  EXPECT_EQ(store->recipients().size(), 1u);
}

TEST(StateStore, ImportingAConsentAgainChangesNothingAndANewVersionReplacesIt) {
  test::TempDir dir;
  auto store = open_state_store(dir.path());
  const std::string v1 = R"({"resourceType":"Consent","id":"c","meta":{"versionId":"1"},"status":"active",
    "patient":{"identifier":{"value":"MRN1"}},"policy":[{"uri":"x"}],"provision":{"type":"deny"}})";
  std::string v2 = v1;
  v2.replace(v2.find("\"1\""), 3, "\"2\"");
  const auto first = consent::from_test_server(v1).consents.at(0), second = consent::from_test_server(v2).consents.at(0);
  EXPECT_EQ(store->put_consent(first), PutResult::Added);
  EXPECT_EQ(store->put_consent(first), PutResult::Unchanged);
  EXPECT_EQ(store->put_consent(second), PutResult::Updated);
  const auto on_file = store->consents_for("MRN1");
  ASSERT_EQ(on_file.size(), 1u);
  EXPECT_EQ(on_file.front().version, "2");
  EXPECT_EQ(consent::to_json(on_file.front()), consent::to_json(second));  // stored without loss
  EXPECT_TRUE(store->consents_for("MRN2").empty());
}

TEST(StateStore, RecordsEachExportsDecisionOncePerPatientAndStudyDate) {
  test::TempDir dir;
  auto store = open_state_store(dir.path());
  store->add_recipient({"lab-a", "Lab A", "", "", ""});
  store->begin_export({"exp-1", "lab-a", "HRESCH", 100, std::nullopt, nlohmann::json::object()});
  store->begin_export({"exp-1", "lab-a", "HRESCH", 200, std::nullopt, nlohmann::json::object()});  // resumed
  EXPECT_EQ(store->export_record("exp-1")->started_at, 100);
  store->record_decision({"exp-1", {"", "MRN1"}, "20200101", "deny", "withheld-opted-out", {{"why", "first"}}});
  store->record_decision({"exp-1", {"", "MRN1"}, "20200101", "permit", "permitted", {{"why", "second"}}});
  store->record_decision({"exp-1", {"", "MRN2"}, "", "permit", "permitted", nlohmann::json::object()});
  const auto decisions = store->decisions("exp-1");
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0].reason, "withheld-opted-out");
  store->finish_export("exp-1", {{"permitted", 1}});
  EXPECT_TRUE(store->export_record("exp-1")->finished_at);
}

TEST(StateStore, TheSchemaIsVersionedAndMigratedInPlace) {
  test::TempDir dir;
  { StateDb db(dir.path() / "s.sqlite"); }
  StateDb db(dir.path() / "s.sqlite");
  auto version = db.prepare("PRAGMA user_version");
  ASSERT_TRUE(version.step());
  EXPECT_GE(version.integer(0), 3);
  auto tables = db.prepare(
      "SELECT count(*) FROM sqlite_master WHERE name IN ('recipient','consent_record','consent_subject','export','export_decision')");
  ASSERT_TRUE(tables.step());
  EXPECT_EQ(tables.integer(0), 5);
}

}  // namespace radveil::store
