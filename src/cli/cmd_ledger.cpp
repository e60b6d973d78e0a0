// `radveil ledger checkpoint|public-key|verify|prove|verify-proof|export`: the disclosure ledger as
// a transparency log (RFC 6962 tree, C2SP checkpoints and signed notes).
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "cli/state_flags.h"
#include "ledger/checkpoint.h"
#include "ledger/ledger_entry.h"
#include "ledger/merkle.h"
#include "ledger/signed_note.h"

namespace radveil::cli {
namespace {

std::string as_text(const ledger::Hash& h) {
  return ledger::base64(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

std::optional<ledger::Hash> hash_from(const nlohmann::json& j) {
  if (!j.is_string()) return std::nullopt;
  const auto bytes = ledger::from_base64(j.get<std::string>());
  if (!bytes || bytes->size() != 32) return std::nullopt;
  ledger::Hash h;
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

// Signs a checkpoint of the log as it stands, keeps it in the state, and returns its note.
std::string issue_checkpoint(store::StateStore& store, const ledger::LedgerKeys& keys,
                             const std::vector<ledger::LedgerEntry>& entries) {
  const auto leaves = ledger::leaf_hashes(entries);
  const std::string note =
      keys.signer.sign(ledger::checkpoint_text({keys.signer.name(), leaves.size(), ledger::tree_root(leaves)}));
  store.save_checkpoint({leaves.size(), note, static_cast<std::int64_t>(std::time(nullptr))});
  return note;
}

// A ledger that fails its check is a security event: 110113 Security Alert, to the audit file and
// the collector. The alert names the ledger and the records, never a patient.
void alert_ledger_failure(const StateArgs& state, const std::string& origin, const std::vector<ledger::LedgerProblem>& problems) {
  try {
    const auto trail = audit_trail(state);
    std::string description = "disclosure ledger " + origin + " failed verification: " + std::to_string(problems.size()) +
                              " problem(s)";
    for (std::size_t i = 0; i < problems.size() && i < 20; ++i) description += "; " + problems[i].what;
    trail->record(audit::security_alert(trail->source(), audit::file_uri(state_dir(state) / "radveil.sqlite") + "#ledger",
                                        description, audit::Outcome::MajorFailure, audit::now_millis()));
    forward_audit(*trail);
  } catch (const CommandFailure& e) {
    std::fprintf(stderr, "warning: the security alert could not be recorded: %s\n", e.message.c_str());
  } catch (const audit::AuditError& e) {
    std::fprintf(stderr, "warning: the security alert could not be recorded: %s\n", e.what());
  }
}

void verify(const StateArgs& state, const std::vector<std::string>& files) {
  auto store = open_store(state);
  const auto keys = ledger_keys(state);
  const std::string verifier = keys.signer.verifier_key();
  std::vector<ledger::CheckpointClaim> claims;
  std::vector<ledger::LedgerProblem> problems;
  const auto claim = [&](const std::string& note, const std::string& source) {
    const auto text = ledger::verified_text(note, verifier);
    const auto c = text ? ledger::parse_checkpoint(*text) : std::nullopt;
    if (!c || c->origin != keys.signer.name()) {
      problems.push_back({"checkpoint " + source + " is not signed by this ledger's key"});
      return;
    }
    claims.push_back({source, c->size, c->root});
  };
  std::size_t issued = 0;
  for (const auto& c : store->checkpoints()) claim(c.note, "issued #" + std::to_string(++issued));
  for (const auto& f : files) claim(read_text_file(f), f);
  const auto entries = store->ledger_entries();
  for (auto& p : ledger::verify_ledger(entries, keys.commitment, claims)) problems.push_back(std::move(p));
  const auto root = ledger::tree_root(ledger::leaf_hashes(entries));
  if (problems.empty()) {
    std::printf("ledger %s: %zu records, root %s; every leaf matches its record; append-only since each of %zu "
                "checkpoints\n",
                keys.signer.name().c_str(), entries.size(), as_text(root).c_str(), claims.size());
    return;
  }
  for (const auto& p : problems) std::printf("FAILED: %s\n", p.what.c_str());
  alert_ledger_failure(state, keys.signer.name(), problems);
  throw CommandFailure{3, "the ledger does not verify (" + std::to_string(problems.size()) + " problem(s))"};
}

void prove(const StateArgs& state, std::uint64_t position, const std::string& out) {
  auto store = open_store(state);
  const auto keys = ledger_keys(state);
  const auto entries = store->ledger_entries();
  if (position >= entries.size()) throw CommandFailure{2, "no ledger record " + std::to_string(position)};
  const auto leaves = ledger::leaf_hashes(entries);
  nlohmann::json proof;
  proof["index"] = position;
  proof["tree_size"] = leaves.size();
  proof["leaf"] = ledger::base64(entries[position].leaf);
  proof["leaf_hash"] = as_text(leaves[position]);
  proof["audit_path"] = nlohmann::json::array();
  for (const auto& h : ledger::inclusion_proof(position, leaves)) proof["audit_path"].push_back(as_text(h));
  proof["checkpoint"] = issue_checkpoint(*store, keys, entries);
  const std::string text = proof.dump(2) + "\n";
  if (out.empty()) {
    std::fputs(text.c_str(), stdout);
  } else {
    std::ofstream f(out, std::ios::trunc);
    f << text;
    if (!f) throw CommandFailure{1, "cannot write " + out};
    std::printf("inclusion proof of record %llu in a tree of %zu: %s\n", static_cast<unsigned long long>(position),
                leaves.size(), out.c_str());
  }
}

void verify_proof(const std::string& file, std::string key) {
  if (std::ifstream in(key); in) std::getline(in, key);  // a file holding the key
  const auto proof = nlohmann::json::parse(read_text_file(file), nullptr, false);
  if (proof.is_discarded() || !proof.is_object()) throw CommandFailure{3, "the proof is not JSON"};
  const auto text = proof.contains("checkpoint") && proof["checkpoint"].is_string()
                        ? ledger::verified_text(proof["checkpoint"].get<std::string>(), key)
                        : std::nullopt;
  if (!text) throw CommandFailure{3, "the proof's checkpoint is not signed by that key"};
  const auto checkpoint = ledger::parse_checkpoint(*text);
  const auto leaf = proof.contains("leaf") && proof["leaf"].is_string() ? ledger::from_base64(proof["leaf"].get<std::string>())
                                                                         : std::nullopt;
  if (!checkpoint || !leaf || !proof.contains("index") || !proof["index"].is_number_unsigned() ||
      !proof.contains("audit_path") || !proof["audit_path"].is_array())
    throw CommandFailure{3, "the proof is malformed"};
  std::vector<ledger::Hash> path;
  for (const auto& h : proof["audit_path"]) {
    const auto hash = hash_from(h);
    if (!hash) throw CommandFailure{3, "the proof's audit path is malformed"};
    path.push_back(*hash);
  }
  const auto index = proof["index"].get<std::uint64_t>();
  if (!ledger::verify_inclusion(index, checkpoint->size, ledger::leaf_hash(*leaf), path, checkpoint->root))
    throw CommandFailure{3, "the record is NOT in the log the checkpoint commits to"};
  std::printf("verified: record %llu is in %s at tree size %llu, root %s\n%s\n", static_cast<unsigned long long>(index),
              checkpoint->origin.c_str(), static_cast<unsigned long long>(checkpoint->size), as_text(checkpoint->root).c_str(),
              leaf->c_str());
}

}  // namespace

void ledger_checkpoint(const StateArgs& state) {
  auto store = open_store(state);
  std::fputs(issue_checkpoint(*store, ledger_keys(state), store->ledger_entries()).c_str(), stdout);
}

void ledger_public_key(const StateArgs& state) { std::printf("%s\n", ledger_keys(state).signer.verifier_key().c_str()); }

void ledger_verify(const StateArgs& state, const std::vector<std::string>& files) { verify(state, files); }

void ledger_prove(const StateArgs& state, std::uint64_t position, const std::string& out) { prove(state, position, out); }

void ledger_verify_proof(const std::string& file, const std::string& public_key) { verify_proof(file, public_key); }

void ledger_export(const StateArgs& state) {
  auto store = open_store(state);
  for (const auto& e : store->ledger_entries())
    std::printf("%s\n", nlohmann::json{{"index", e.position}, {"leaf", ledger::base64(e.leaf)}}.dump().c_str());
}

}  // namespace radveil::cli
