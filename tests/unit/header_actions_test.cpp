// Table-driven: every row of PS3.15 Table E.1-1, under no option and under each option alone,
// at the top level and two sequences deep, is carried out as the standard says.
#include <gtest/gtest.h>

#include <map>

#include "core/quarantine_error.h"
#include "deid/header_deidentifier.h"
#include "deid/pseudonym_attributes.h"
#include "profile/profile_table.h"
#include "support/dataset_builder.h"

using namespace radveil;
using namespace radveil::profile;

namespace {

constexpr const char* kMarker = "JOHN DOE NOTE";

enum class Expect { Remove, Empty, Dummy, Keep, Clean, NewUid };

const char* expect_name(Expect e) {
  switch (e) {
    case Expect::Remove: return "X";
    case Expect::Empty: return "Z";
    case Expect::Dummy: return "D";
    case Expect::Keep: return "K";
    case Expect::Clean: return "C";
    case Expect::NewUid: return "U";
  }
  return "?";
}

// The standard's rules restated for the test: the option column wins (K over C), otherwise the
// basic code, with combined codes resolved as documented in profile/action.h.
Expect expected_action(const ProfileRow& row, const OptionSet& options, bool is_sequence) {
  bool clean = false;
  for (const auto& info : all_options()) {
    if (!options.has(info.option)) continue;
    const auto col = row.options[static_cast<std::size_t>(info.option)];
    if (col == OptionAction::K) return Expect::Keep;
    if (col == OptionAction::C) clean = true;
  }
  if (clean) return Expect::Clean;
  const bool acquisition_context = row.group == 0x0040 && row.element == 0x0555;
  switch (row.basic) {
    case BasicAction::D: case BasicAction::ZD: return Expect::Dummy;
    case BasicAction::XD: case BasicAction::XZD: return is_sequence ? Expect::Remove : Expect::Dummy;
    case BasicAction::XZ: return is_sequence && !acquisition_context ? Expect::Remove : Expect::Empty;
    case BasicAction::Z: return Expect::Empty;
    case BasicAction::X: return Expect::Remove;
    case BasicAction::K: return Expect::Keep;
    case BasicAction::C: return Expect::Clean;
    case BasicAction::U: case BasicAction::XZU: return Expect::NewUid;
  }
  return Expect::Remove;
}

DcmTagKey concrete_tag(const ProfileRow& row) {
  // Masked rows: the first group of the repeating range; a whole-group mask uses a real element.
  const Uint16 element = row.element_mask == 0 ? 0x3000 : row.element;
  return DcmTagKey(row.group, element);
}

// Rows newer than the installed DCMTK dictionary: an explicit-VR file still says their VR, so
// the test takes it from the attribute's name the way the standard names them.
DcmEVR vr_from_name(std::string_view name) {
  auto ends = [&](std::string_view s) { return name.size() >= s.size() && name.substr(name.size() - s.size()) == s; };
  if (ends("Sequence")) return EVR_SQ;
  if (ends("DateTime")) return EVR_DT;
  if (ends("Date") || ends("Date of Manufacture") || ends("Date of Installation")) return EVR_DA;
  if (ends("UN Value")) return EVR_OB;
  return EVR_LO;
}

bool is_date_vr(DcmEVR vr) { return vr == EVR_DA || vr == EVR_DT; }

struct Case {
  const ProfileRow* row;
  OptionSet options;
  std::string option_name;
  int depth;
};

std::string describe(const Case& c) {
  char tag[16];
  std::snprintf(tag, sizeof tag, "(%04X,%04X)", c.row->group, c.row->element);
  return std::string(tag) + " " + std::string(c.row->name) + " option=" + c.option_name + " depth=" +
         std::to_string(c.depth);
}

// Nested unlisted sequences (Keep) that hold the attribute at depth 2.
DcmItem& container_at_depth(DcmDataset& ds, int depth) {
  DcmItem* item = &ds;
  const DcmTagKey path[] = {DCM_PerformedProtocolCodeSequence, DCM_AnatomicRegionSequence};
  for (int d = 0; d < depth; ++d) item = &test::append_item(*item, path[d]);
  return *item;
}

}  // namespace

class HeaderActions : public ::testing::Test {
 protected:
  std::array<std::uint8_t, 32> key_bytes{};
  pseudonym::Pseudonymizer pseudo{pseudonym::SecretKey::from_bytes(key_bytes)};

  // Returns an empty string when the case passes, otherwise what went wrong.
  std::string run_case(const Case& c, std::size_t& skipped) {
    const DcmTagKey key = concrete_tag(*c.row);
    DcmTag tag(key);
    DcmEVR vr = tag.getEVR();
    if (vr == EVR_UNKNOWN || vr == EVR_UN || vr == EVR_UNKNOWN2B || vr == EVR_na) vr = vr_from_name(c.row->name);
    if (vr == EVR_ox || vr == EVR_px) vr = EVR_OB;
    if (vr == EVR_xs) vr = EVR_US;
    if (vr == EVR_lt) vr = EVR_OW;
    DcmDataset ds;
    ds.putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
    if (key != DCM_PatientName) ds.putAndInsertString(DCM_PatientName, "DOE^JOHN");
    if (key != DCM_PatientID) ds.putAndInsertString(DCM_PatientID, "PID12345");
    DcmItem& container = container_at_depth(ds, c.depth);
    const bool is_seq = vr == EVR_SQ;
    std::string original = test::sample_value(vr, kMarker);
    if (is_seq) {
      DcmItem& inner = test::append_item(container, key);
      inner.putAndInsertString(DCM_CodeValue, "T-12345");
    } else {
      DcmTag typed(key, DcmVR(vr));
      DcmElement* created = nullptr;
      DcmItem::newDicomElementWithVR(created, typed);
      std::unique_ptr<DcmElement> element(created);
      if (!element || element->putString(original.c_str()).bad() || container.insert(element.release(), OFTrue).bad()) {
        ++skipped;
        return {};
      }
      original = test::value_of(container, key).value_or("");  // as DCMTK formats it back
    }

    deid::HeaderDeidentifier deidentifier(c.options, pseudo);
    deid::DeidResult result = deidentifier.apply(ds);

    Expect expect = expected_action(*c.row, c.options, is_seq && true);
    if (c.depth == 0 && (key.getGroup() & 0xFF00) == 0x6000) expect = Expect::Remove;  // overlay groups go whole
    if (key.getGroup() == 0x0002) expect = Expect::Remove;  // File Meta is rebuilt, never copied
    const auto pseudonym = deid::pseudonym_kind(key.getGroup(), key.getElement());

    DcmItem& after_container = container_at_depth_existing(ds, c.depth);
    DcmElement* element = nullptr;
    const bool present = after_container.findAndGetElement(key, element, OFFalse).good() && element != nullptr;
    const std::string what = std::string(" expected ") + expect_name(expect);
    if (expect == Expect::Remove) return present ? "still present;" + what : "";
    if (!present) return "missing;" + what;
    if (is_seq) {
      const auto items = static_cast<DcmSequenceOfItems*>(static_cast<DcmObject*>(element))->card();
      if (expect == Expect::Empty) return items == 0 ? "" : "sequence not emptied;" + what;
      return items >= 1 ? "" : "sequence lost its items;" + what;
    }
    const std::string value = test::value_of(after_container, key).value_or("");
    if (pseudonym && (expect == Expect::Empty || expect == Expect::Dummy)) {
      const bool ok = !value.empty() && value.find("JOHN") == std::string::npos && value != original &&
                      (value.rfind("RV", 0) == 0 || value.rfind("A", 0) == 0 || value.rfind("S", 0) == 0 ||
                       value.rfind("O", 0) == 0);
      return ok ? "" : "no pseudonym: " + value;
    }
    const bool modified = c.options.has(ProfileOption::RetainLongModifiedDates);
    const bool full = c.options.has(ProfileOption::RetainLongFullDates);
    switch (expect) {
      case Expect::Empty: return value.empty() ? "" : "not emptied: " + value;
      case Expect::Keep: return value == original ? "" : "changed although kept: " + value;
      case Expect::NewUid:
        if (vr != EVR_UI) return value != original ? "" : "unchanged";
        return value.rfind("2.25.", 0) == 0 && value != original ? "" : "no new UID: " + value;
      case Expect::Dummy:
        if (vr == EVR_UI) return value.rfind("2.25.", 0) == 0 ? "" : "no new UID: " + value;
        if (DcmVR(vr).isaString()) return !value.empty() && value != original ? "" : "no dummy: '" + value + "'";
        return value != original ? "" : "dummy equals the original";
      case Expect::Clean:
        if (is_date_vr(vr)) {
          if (modified) return !value.empty() && value != original && value.size() == original.size() ? "" : "not shifted: " + value;
          if (full) return value == original ? "" : "full date changed";
          return value.empty() ? "" : "date kept without a date option";
        }
        if (vr == EVR_TM) return (modified || full) == (value == original) ? "" : "time handling: " + value;
        if (vr == EVR_UI) return value.rfind("2.25.", 0) == 0 ? "" : "UID not replaced";
        return value.find("JOHN") == std::string::npos && value.find("DOE") == std::string::npos
                   ? ""
                   : "identifying text survived cleaning: " + value;
      case Expect::Remove: break;
    }
    return {};
  }

  static DcmItem& container_at_depth_existing(DcmDataset& ds, int depth) {
    DcmItem* item = &ds;
    const DcmTagKey path[] = {DCM_PerformedProtocolCodeSequence, DCM_AnatomicRegionSequence};
    for (int d = 0; d < depth; ++d) {
      DcmItem* next = nullptr;
      item->findAndGetSequenceItem(path[d], next, 0);
      if (next == nullptr) return *item;
      item = next;
    }
    return *item;
  }
};

TEST_F(HeaderActions, EveryRowUnderEveryOptionAtTopLevelAndInNestedSequences) {
  std::vector<std::pair<std::string, OptionSet>> option_sets = {{"none", OptionSet{}}};
  for (const auto& info : all_options()) {
    OptionSet s;
    s.add(info.option);
    option_sets.emplace_back(std::string(info.cli_name), s);
  }
  std::size_t cases = 0, skipped = 0, failures = 0;
  for (const auto& row : table_e1_1()) {
    if (row.odd_group_row) continue;
    for (const auto& [name, options] : option_sets)
      for (int depth : {0, 2}) {
        Case c{&row, options, name, depth};
        ++cases;
        const std::string problem = run_case(c, skipped);
        if (!problem.empty() && ++failures <= 40) ADD_FAILURE() << describe(c) << ": " << problem;
      }
  }
  EXPECT_EQ(failures, 0u);
  // Rows whose tag the installed dictionary does not know are skipped; they must stay few.
  EXPECT_LT(skipped, cases / 20) << skipped << " of " << cases << " cases skipped";
  std::printf("checked %zu cases (%zu skipped for unknown dictionary VRs)\n", cases, skipped);
}

TEST_F(HeaderActions, SequencesDeeperThanTheLimitAreRefused) {
  DcmDataset ds;
  DcmItem* item = &ds;
  for (int d = 0; d < deid::kMaxSequenceDepth + 3; ++d) item = &test::append_item(*item, DCM_ContentSequence);
  item->putAndInsertString(DCM_TextValue, "deep");
  deid::HeaderDeidentifier deidentifier(OptionSet{}, pseudo);
  try {
    deidentifier.apply(ds);
    FAIL() << "a too-deep dataset was de-identified";
  } catch (const QuarantineError& e) {
    EXPECT_EQ(e.reason(), "sequence-too-deep");
  }
}
