// End to end through the CLI: a synthetic archive with planted identities, de-identified.
#include <dcmtk/dcmdata/dctk.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <set>

#include "dicom/values.h"
#include "e2e/archive_fixture.h"
#include "pseudonym/pseudonymizer.h"

namespace radveil::test {
namespace {

struct Loaded {
  DcmFileFormat ff;
  DcmDataset& ds() { return *ff.getDataset(); }
};

std::unique_ptr<Loaded> load(const std::filesystem::path& file) {
  auto l = std::make_unique<Loaded>();
  EXPECT_TRUE(l->ff.loadFile(OFFilename(file.c_str())).good()) << file;
  return l;
}

void collect_uids(DcmItem& item, const DcmTagKey& tag, std::vector<std::string>& out) {
  for (DcmObject* o = item.nextInContainer(nullptr); o; o = item.nextInContainer(o)) {
    if (o->ident() == EVR_SQ) {
      auto* seq = static_cast<DcmSequenceOfItems*>(o);
      for (unsigned long i = 0; i < seq->card(); ++i) collect_uids(*seq->getItem(i), tag, out);
    } else if (o->getTag() == tag) {
      out.push_back(dicom::element_string(*static_cast<DcmElement*>(o)));
    }
  }
}

int days_from_civil(const std::string& da) {
  using namespace std::chrono;
  const year_month_day d{year{std::stoi(da.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(da.substr(4, 2)))},
                         day{static_cast<unsigned>(std::stoi(da.substr(6, 2)))}};
  return static_cast<int>(sys_days{d}.time_since_epoch().count());
}

pseudonym::Pseudonymizer pseudonymizer_for(const std::filesystem::path& key) {
  return pseudonym::Pseudonymizer(pseudonym::SecretKey::load_file(key));
}

// The output file of an answer-key instance: named by its keyed SOP Instance UID.
std::optional<std::filesystem::path> output_of(const std::filesystem::path& out, const std::string& sop,
                                               const pseudonym::Pseudonymizer& p) {
  const std::string name = p.uid(sop) + ".dcm";
  for (const auto& e : std::filesystem::recursive_directory_iterator(out))
    if (e.path().filename() == name) return e.path();
  return std::nullopt;
}

}  // namespace

TEST_F(ArchiveTest, RunsSucceedAndAccountForEveryFile) {
  for (const DeidRun* run : {&basic, &basic_again, &other_key, &rich}) {
    ASSERT_EQ(run->result.exit_code, 0) << run->result.output;
    const auto report = nlohmann::json::parse(std::ifstream(run->report));
    std::size_t expected_deid = 0, expected_quarantine = 0;
    for (const auto& i : answer["instances"]) (i["expect"] == "deidentified" ? expected_deid : expected_quarantine)++;
    EXPECT_EQ(report["counts"]["deidentified"], expected_deid);
    EXPECT_EQ(report["counts"]["quarantined"], expected_quarantine);
    EXPECT_EQ(report["reasons"]["quarantined"]["burned-in-text-risk"], expected_quarantine);
    EXPECT_EQ(report["counts"]["skipped"], 1) << "the staff README is not DICOM";
    EXPECT_EQ(files_under(run->out).size(), expected_deid);
  }
}

// The search below must be able to see what it looks for: every planted value and every original
// UID is found in the input archive by the same byte search (deflated files inflated).
TEST_F(ArchiveTest, TheByteSearchFindsEveryPlantedValueInTheInput) {
  std::string all;
  for (const auto& file : files_under(archive)) all += searchable_bytes(file) + file.string();
  for (const std::string category : {"identity", "dates", "institution", "device"})
    for (const auto& v : answer["planted"][category]) {
      bool found = false;
      for (const auto& form : forms_of(v.get<std::string>())) found = found || all.find(form) != std::string::npos;
      EXPECT_TRUE(found) << v;
    }
  for (const auto& u : answer["uids"]) EXPECT_NE(all.find(u.get<std::string>()), std::string::npos) << u;
}

TEST_F(ArchiveTest, NoPlantedValueSurvivesInAnyOutputByteOrPath) {
  struct Check {
    const DeidRun* run;
    std::vector<std::string> categories;
  };
  // Basic profile: nothing planted may survive. With options: identity and real dates still go
  // (dates are shifted); the options chosen retain neither institution nor device.
  for (const Check& c : {Check{&basic, {"identity", "dates", "institution", "device"}},
                         Check{&rich, {"identity", "dates", "institution", "device"}}}) {
    const auto forms = planted_forms(c.categories);
    ASSERT_GT(forms.size(), 40u);
    std::size_t files = 0;
    for (const auto& file : files_under(c.run->out)) {
      ++files;
      const std::string bytes = searchable_bytes(file);
      const std::string path = std::filesystem::relative(file, c.run->out).string();
      for (const auto& f : forms) {
        EXPECT_EQ(bytes.find(f), std::string::npos) << "'" << f << "' in " << path;
        EXPECT_EQ(path.find(f), std::string::npos) << "'" << f << "' in the path " << path;
      }
    }
    EXPECT_GT(files, 0u);
    const std::string report = read_file(c.run->report);
    for (const auto& f : forms) {
      EXPECT_EQ(report.find(f), std::string::npos) << "'" << f << "' in the report";
      EXPECT_EQ(c.run->result.output.find(f), std::string::npos) << "'" << f << "' printed";
    }
    // Quarantined copies are originals (they stay inside), but their names carry nothing.
    for (const auto& q : files_under(c.run->quarantine))
      for (const auto& f : forms) EXPECT_EQ(q.filename().string().find(f), std::string::npos);
  }
}

TEST_F(ArchiveTest, NoOriginalUidAppearsInAnyOutput) {
  std::vector<std::string> uids;
  for (const auto& u : answer["uids"]) uids.push_back(u.get<std::string>());
  for (const DeidRun* run : {&basic, &rich})
    for (const auto& file : files_under(run->out)) {
      const std::string bytes = searchable_bytes(file);
      for (const auto& u : uids) EXPECT_EQ(bytes.find(u), std::string::npos) << u << " in " << file;
    }
}

TEST_F(ArchiveTest, OutputTreeIsPatientStudySeriesInstanceAndEveryReferenceResolves) {
  std::set<std::string> sops, series;
  std::vector<std::pair<std::string, std::string>> references;  // (file, referenced UID)
  std::vector<std::pair<std::string, std::string>> series_references;
  for (const auto& file : files_under(basic.out)) {
    const auto rel = std::filesystem::relative(file, basic.out);
    std::vector<std::string> parts(rel.begin(), rel.end());
    ASSERT_EQ(parts.size(), 4u) << rel;
    auto l = load(file);
    EXPECT_EQ(parts[0], dicom::get_string(l->ds(), DCM_PatientID));
    EXPECT_EQ(parts[1], dicom::get_string(l->ds(), DCM_StudyInstanceUID));
    EXPECT_EQ(parts[2], dicom::get_string(l->ds(), DCM_SeriesInstanceUID));
    EXPECT_EQ(parts[3], dicom::get_string(l->ds(), DCM_SOPInstanceUID) + ".dcm");
    sops.insert(dicom::get_string(l->ds(), DCM_SOPInstanceUID));
    series.insert(dicom::get_string(l->ds(), DCM_SeriesInstanceUID));
    std::vector<std::string> refs;
    collect_uids(l->ds(), DCM_ReferencedSOPInstanceUID, refs);
    for (auto& r : refs) references.emplace_back(rel.string(), r);
    DcmItem* item = nullptr;
    for (int i = 0; l->ds().findAndGetSequenceItem(DCM_ReferencedSeriesSequence, item, i).good(); ++i)
      series_references.emplace_back(rel.string(), dicom::get_string(*item, DCM_SeriesInstanceUID));
  }
  ASSERT_FALSE(series_references.empty());
  for (const auto& [file, uid] : series_references)
    EXPECT_TRUE(series.count(uid)) << file << " refers to a missing series " << uid;
  ASSERT_GT(references.size(), 10u) << "the archive has SR and derived images with references";
  for (const auto& [file, uid] : references) EXPECT_TRUE(sops.count(uid)) << file << " refers to a missing " << uid;
}

TEST_F(ArchiveTest, StudiesAndSeriesKeepTheirGrouping) {
  const auto p = pseudonymizer_for(key_a);
  std::map<std::string, std::set<std::string>> study_map, series_map;  // original -> output UIDs
  std::map<std::string, std::set<std::string>> out_study_to_original;
  for (const auto& inst : answer["instances"]) {
    if (inst["expect"] != "deidentified") continue;
    const auto file = output_of(basic.out, inst["sop"], p);
    ASSERT_TRUE(file) << inst["path"];
    auto l = load(*file);
    const std::string study = dicom::get_string(l->ds(), DCM_StudyInstanceUID);
    study_map[inst["study"]].insert(study);
    series_map[inst["series"]].insert(dicom::get_string(l->ds(), DCM_SeriesInstanceUID));
    out_study_to_original[study].insert(inst["study"].get<std::string>());
  }
  for (const auto& [orig, outs] : study_map) EXPECT_EQ(outs.size(), 1u) << "study split: " << orig;
  for (const auto& [orig, outs] : series_map) EXPECT_EQ(outs.size(), 1u) << "series split: " << orig;
  for (const auto& [out, origs] : out_study_to_original) EXPECT_EQ(origs.size(), 1u) << "studies merged: " << out;
}

TEST_F(ArchiveTest, CtAndMrPixelDataIsUnchanged) {
  const auto p = pseudonymizer_for(key_a);
  std::size_t compared = 0;
  for (const auto& inst : answer["instances"]) {
    if (inst["modality"] != "CT" && inst["modality"] != "MR") continue;
    const auto file = output_of(basic.out, inst["sop"], p);
    ASSERT_TRUE(file);
    auto before = load(archive / inst["path"].get<std::string>());
    auto after = load(*file);
    const Uint16 *a = nullptr, *b = nullptr;
    unsigned long na = 0, nb = 0;
    ASSERT_TRUE(before->ds().findAndGetUint16Array(DCM_PixelData, a, &na).good());
    ASSERT_TRUE(after->ds().findAndGetUint16Array(DCM_PixelData, b, &nb).good());
    ASSERT_EQ(na, nb);
    EXPECT_EQ(0, std::memcmp(a, b, na * sizeof(Uint16))) << inst["path"];
    ++compared;
  }
  EXPECT_GT(compared, 20u);
}

TEST_F(ArchiveTest, ModifiedDatesShiftEveryPatientConsistentlySoIntervalsSurvive) {
  const auto p = pseudonymizer_for(key_a);
  std::map<int, std::map<std::string, std::string>> out_dates;  // patient -> original date -> shifted
  for (const auto& inst : answer["instances"]) {
    if (inst["expect"] != "deidentified") continue;
    const auto file = output_of(rich.out, inst["sop"], p);
    ASSERT_TRUE(file);
    auto l = load(*file);
    const std::string original = inst["study_date"], shifted = dicom::get_string(l->ds(), DCM_StudyDate);
    ASSERT_EQ(shifted.size(), 8u);
    EXPECT_NE(shifted, original);
    auto& seen = out_dates[inst["patient"].get<int>()][original];
    if (!seen.empty()) {
      EXPECT_EQ(seen, shifted) << "one date, two shifts";
    }
    seen = shifted;
    EXPECT_EQ(dicom::get_string(l->ds(), DCM_LongitudinalTemporalInformationModified), "MODIFIED");
  }
  ASSERT_EQ(out_dates.size(), 4u);
  std::set<int> shifts;
  for (const auto& [patient, dates] : out_dates) {
    ASSERT_EQ(dates.size(), 2u) << "two studies per patient";
    const auto& [a_orig, a_out] = *dates.begin();
    const auto& [b_orig, b_out] = *dates.rbegin();
    EXPECT_EQ(days_from_civil(b_orig) - days_from_civil(a_orig), days_from_civil(b_out) - days_from_civil(a_out));
    shifts.insert(days_from_civil(a_out) - days_from_civil(a_orig));
  }
  EXPECT_GT(shifts.size(), 1u) << "patients get different shifts";
}

TEST_F(ArchiveTest, SameKeyGivesByteIdenticalTreesOnAnyNumberOfWorkers) {
  const auto a = files_under(basic.out), b = files_under(basic_again.out);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(std::filesystem::relative(a[i], basic.out), std::filesystem::relative(b[i], basic_again.out));
    EXPECT_TRUE(read_file(a[i]) == read_file(b[i])) << a[i];
  }
}

TEST_F(ArchiveTest, AnotherKeyGivesDisjointPseudonyms) {
  std::set<std::string> names_a, names_b;
  for (const auto& f : files_under(basic.out))
    for (const auto& part : std::filesystem::relative(f, basic.out)) names_a.insert(part.string());
  for (const auto& f : files_under(other_key.out))
    for (const auto& part : std::filesystem::relative(f, other_key.out)) names_b.insert(part.string());
  ASSERT_FALSE(names_a.empty());
  for (const auto& n : names_a) EXPECT_FALSE(names_b.count(n)) << n << " is shared by two keys";
}

TEST_F(ArchiveTest, RetainSafePrivateKeepsOnlyTheKnownSafeAttribute) {
  for (const auto& file : files_under(rich.out)) {
    auto l = load(file);
    EXPECT_EQ(dicom::get_string(l->ds(), DcmTagKey(0x0019, 0x0010)), "GEMS_ACQU_01");
    EXPECT_EQ(dicom::get_string(l->ds(), DcmTagKey(0x0019, 0x1023)), "39.37");
    EXPECT_FALSE(l->ds().tagExists(DcmTagKey(0x0019, 0x1099)));
    EXPECT_FALSE(l->ds().tagExists(DcmTagKey(0x0009, 0x0010)));
    EXPECT_FALSE(l->ds().tagExists(DcmTagKey(0x0009, 0x1001)));
  }
}

TEST_F(ArchiveTest, CleanedDescriptionsKeepTheirNonIdentifyingWords) {
  const auto p = pseudonymizer_for(key_a);
  const auto& first_ct = answer["instances"][0];
  const auto file = output_of(rich.out, first_ct["sop"], p);
  ASSERT_TRUE(file);
  auto l = load(*file);
  const std::string description = dicom::get_string(l->ds(), DCM_StudyDescription);
  EXPECT_NE(description.find("CT HEAD"), std::string::npos) << description;
  auto basic_file = output_of(basic.out, first_ct["sop"], p);
  auto b = load(*basic_file);
  EXPECT_FALSE(b->ds().tagExists(DCM_StudyDescription)) << "removed (X) without clean-descriptors";
}

}  // namespace radveil::test
