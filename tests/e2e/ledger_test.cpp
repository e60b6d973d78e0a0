// The disclosure ledger end to end: an export records one disclosure per patient and study; the
// log verifies, proves inclusion offline, exports its leaves; and every kind of tampering in
// SQLite directly is found and named by `ledger verify`.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ledger/checkpoint.h"
#include "ledger/ledger_entry.h"
#include "ledger/ledger_keys.h"
#include "ledger/merkle.h"
#include "ledger/signed_note.h"
#include "store/state_db.h"
#include "support/test_support.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;

class LedgerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = std::make_unique<TempDir>();
    ASSERT_EQ(run_radveil("synth " + (dir->path() / "synth").string() + " --patients 3 --slices 2 --rows 32 --seed 8").exit_code, 0);
    write_fixed_key(dir->path() / "site.key", 4);
    state = dir->path() / "state";
    ASSERT_EQ(run_radveil("recipient add lab-a --name LabA --state " + state.string()).exit_code, 0);
    exported = run_radveil("export " + (dir->path() / "synth" / "archive").string() + " " + (dir->path() / "out").string() +
                           " --key " + (dir->path() / "site.key").string() + " --purpose HRESCH --recipient lab-a --state " +
                           state.string());
    checkpoint = run_radveil("ledger checkpoint --state " + state.string());
    std::ofstream(dir->path() / "checkpoint-1") << checkpoint.output;
  }
  static void TearDownTestSuite() { dir.reset(); }

  // A copy of the state folder to tamper with.
  static fs::path copy_of_state(const std::string& name) {
    const fs::path copy = dir->path() / ("state-" + name);
    fs::copy(state, copy, fs::copy_options::recursive);
    return copy;
  }

  static CommandResult verify(const fs::path& s, const std::string& extra = "") {
    return run_radveil("ledger verify --state " + s.string() + " " + extra);
  }

  static inline std::unique_ptr<TempDir> dir;
  static inline fs::path state;
  static inline CommandResult exported, checkpoint;
};

}  // namespace

TEST_F(LedgerTest, AnExportRecordsOneDisclosurePerPatientAndStudy) {
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_NE(exported.output.find("disclosures recorded: 6"), std::string::npos) << exported.output;  // 3 patients x 2 studies
  const auto leaves = run_radveil("ledger export --state " + state.string());
  std::istringstream lines(leaves.output);
  std::vector<ledger::Hash> hashes;
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["index"].get<std::size_t>(), hashes.size());
    const auto leaf = ledger::from_base64(j["leaf"].get<std::string>());
    ASSERT_TRUE(leaf);
    // A leaf shows the pseudonymous study and a digest of the patient, never the patient's values.
    const auto content = nlohmann::json::parse(*leaf);
    EXPECT_EQ(content["public"]["recipient"], "lab-a");
    EXPECT_EQ(content["private"].get<std::string>().size(), 64u);
    EXPECT_EQ(leaf->find("MRN"), std::string::npos);
    hashes.push_back(ledger::leaf_hash(*leaf));
  }
  ASSERT_EQ(hashes.size(), 6u);
  // An auditor's own RFC 6962 root over the exported leaves is the signed checkpoint's.
  const auto text = ledger::verified_text(checkpoint.output, run_radveil("ledger public-key --state " + state.string()).output);
  ASSERT_TRUE(text) << checkpoint.output;
  const auto c = ledger::parse_checkpoint(*text);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->size, 6u);
  EXPECT_EQ(c->root, ledger::tree_root(hashes));
}

TEST_F(LedgerTest, TheUntouchedLogVerifiesAndItsProofsVerifyOffline) {
  const auto ok = verify(state, "--checkpoint " + (dir->path() / "checkpoint-1").string());
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  const fs::path proof = dir->path() / "proof.json", key = dir->path() / "ledger.pub";
  ASSERT_EQ(run_radveil("ledger prove --disclosure 4 --out " + proof.string() + " --state " + state.string()).exit_code, 0);
  std::ofstream(key) << run_radveil("ledger public-key --state " + state.string()).output;
  const auto checked = run_radveil("ledger verify-proof " + proof.string() + " --public-key " + key.string());
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  // A proof whose leaf was changed, or checked with another log's key, fails.
  auto j = nlohmann::json::parse(read_file(proof));
  auto leaf = *ledger::from_base64(j["leaf"].get<std::string>());
  leaf.replace(leaf.find("lab-a"), 5, "lab-b");
  j["leaf"] = ledger::base64(leaf);
  std::ofstream(dir->path() / "forged.json") << j.dump();
  EXPECT_EQ(run_radveil("ledger verify-proof " + (dir->path() / "forged.json").string() + " --public-key " + key.string()).exit_code, 3);
  const auto other = ledger::NoteSigner::generate("radveil.local/ledger/other").verifier_key();
  EXPECT_EQ(run_radveil("ledger verify-proof " + proof.string() + " --public-key " + other).exit_code, 3);
}

TEST_F(LedgerTest, AChangedFieldIsFoundAndNamed) {
  const fs::path s = copy_of_state("changed");
  store::StateDb(s / "radveil.sqlite").exec("UPDATE ledger_entry SET body = replace(body, 'HRESCH', 'HMARKT') WHERE position = 2");
  const auto r = verify(s);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("record 2 (disclosure): its content no longer matches"), std::string::npos) << r.output;
}

TEST_F(LedgerTest, ADeletedRecordIsFoundAndNamed) {
  const fs::path s = copy_of_state("deleted");
  store::StateDb(s / "radveil.sqlite").exec("DELETE FROM ledger_entry WHERE position = 3");
  const auto r = verify(s);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("record 3 is stored at position 4: records before it were deleted"), std::string::npos) << r.output;
}

TEST_F(LedgerTest, AnInsertedRecordIsFoundAndNamed) {
  const fs::path s = copy_of_state("inserted");
  store::StateDb db(s / "radveil.sqlite");
  db.exec("UPDATE ledger_entry SET position = position + 100 WHERE position >= 1");
  db.exec("UPDATE ledger_entry SET position = position - 99 WHERE position >= 100");
  db.exec("INSERT INTO ledger_entry (position, kind, body, leaf, appended_at) "
          "SELECT 1, kind, body, leaf, appended_at FROM ledger_entry WHERE position = 0");
  const auto r = verify(s);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("record 1 holds the leaf of record 0"), std::string::npos) << r.output;
}

TEST_F(LedgerTest, TwoSwappedRecordsAreFoundAndNamed) {
  const fs::path s = copy_of_state("swapped");
  store::StateDb db(s / "radveil.sqlite");
  db.exec("UPDATE ledger_entry SET position = -1 WHERE position = 0");
  db.exec("UPDATE ledger_entry SET position = 0 WHERE position = 5");
  db.exec("UPDATE ledger_entry SET position = 5 WHERE position = -1");
  const auto r = verify(s);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("record 0 holds the leaf of record 5"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("record 5 holds the leaf of record 0"), std::string::npos) << r.output;
}

TEST_F(LedgerTest, ARewriteWithTheKeysStillFailsAgainstACheckpointTakenBefore) {
  // An insider with the database and the commitment key rewrites a record and its leaf so that
  // every record matches its leaf again, and drops the checkpoints the state kept.
  const fs::path s = copy_of_state("rewritten");
  const auto keys = ledger::load_or_create_ledger_keys(s);
  {
    store::StateDb db(s / "radveil.sqlite");
    auto q = db.prepare("SELECT kind, body FROM ledger_entry WHERE position = 1");
    ASSERT_TRUE(q.step());
    const std::string kind = q.text(0);
    auto body = nlohmann::json::parse(q.text(1));
    q.reset();
    body["public"]["recipient"] = "someone-else";
    db.prepare("UPDATE ledger_entry SET body = ?1, leaf = ?2 WHERE position = 1")
        .bind(1, body.dump()).bind(2, ledger::leaf_data(1, kind, body, keys.commitment)).run();
    db.exec("DELETE FROM ledger_checkpoint");
  }
  EXPECT_EQ(verify(s).exit_code, 0);  // internally consistent: only an outside checkpoint can tell
  const auto r = verify(s, "--checkpoint " + (dir->path() / "checkpoint-1").string());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.output.find("not an append-only extension of checkpoint"), std::string::npos) << r.output;
  // A forged checkpoint (not signed by the ledger's key) is refused as such.
  std::string forged = read_file(dir->path() / "checkpoint-1");
  forged.replace(forged.find("\n6\n"), 3, "\n5\n");
  std::ofstream(dir->path() / "forged-checkpoint") << forged;
  EXPECT_NE(verify(state, "--checkpoint " + (dir->path() / "forged-checkpoint").string()).output.find("is not signed"),
            std::string::npos);
}

}  // namespace radveil::test
