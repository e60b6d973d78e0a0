#pragma once
// Reading the ledger back: the disclosures of one patient (the accounting a patient may ask for),
// those that reached one recipient in a window (breach response), and the disclosures files found
// somewhere came from (leak tracing). Pure functions over the ledger's entries.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consent/consent.h"
#include "ledger/ledger_entry.h"

namespace radveil::ledger {

struct Disclosure {
  std::uint64_t position = 0;
  std::int64_t time = 0;
  std::string export_id, recipient, purpose;
  consent::Identifier patient;
  std::string study_uid, pseudonymous_study_uid;
  std::string patient_pseudonym;  // the recipient's pseudonym of the patient (Patient ID as written)
  std::vector<std::string> modalities, method_codes, sop_uids;
  std::uint64_t instances = 0, bytes = 0;
};

// The disclosure entries of the ledger, in order (entries of other kinds, or unreadable ones, are
// left out: `ledger verify` is the judge of those).
std::vector<Disclosure> disclosures(const std::vector<LedgerEntry>& entries);

// Of one patient (the issuer must agree when both name one), at or after `since`.
std::vector<Disclosure> disclosures_of(const std::vector<Disclosure>& all, const consent::Identifier& patient,
                                       std::int64_t since);

// To one recipient, within [from, to] (either open).
std::vector<Disclosure> disclosures_to(const std::vector<Disclosure>& all, const std::string& recipient,
                                       std::optional<std::int64_t> from, std::optional<std::int64_t> to);

// Whether HIPAA's accounting of disclosures (45 CFR 164.528) requires the entry: not when what
// left was de-identified (164.514(a); 164.528(a)(1)), which radveil's output is unless an option
// kept an identifier Safe Harbor lists (full dates 113106, device identity 113109, UIDs 113110,
// institution identity 113112). Returns the reason either way.
struct AccountingStatus {
  bool required = false;
  std::string why;
};
AccountingStatus accounting_status(const Disclosure& d);

// Where a file found somewhere came from: the disclosure holding its pseudonymous SOP Instance UID.
std::optional<Disclosure> source_of(const std::vector<Disclosure>& all, const std::string& sop_instance_uid);

}  // namespace radveil::ledger
