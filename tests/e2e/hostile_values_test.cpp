// Values that are not what their VR promises (Latin-1, UTF-8, control bytes and plain letters where a UID, a
// transfer syntax or a defined term belongs) never reach a report, a manifest or the terminal,
// and never cost a run its report: radveil describes them instead of quoting them.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/dataset_builder.h"
#include "support/report_checks.h"
#include "support/test_support.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;

// The surnames hidden in the hostile values: none may be printed or written anywhere but in the
// source path of the manifest.
const std::vector<std::string> kPlanted = {"MUSTERMANN", "OZTURK", "KOWALSKI", "HOFFMANN", "SCHMIDT", "WAGNER", "SCHNEIDER"};

const std::string kLatin1Uid = "1.2.8\xB0MUSTERMANN";                // degree sign, Latin-1
const std::string kUtf8Uid = "1.2.\xC3\x9CNAL\xC3\xA7OZTURK";        // Ü, ç in UTF-8
const std::string kAsciiUid = "1.2.840.SCHNEIDER.7";                 // printable, but no UID
const std::string kControlUid = "\x1b[31mKOWALSKI\x07\x08\x7f.1.2";  // an ANSI escape, bell, backspace, DEL

struct Instance {
  std::string sop_class = UID_CTImageStorage;
  std::string study = "2.25.11", series = "2.25.12", sop = "2.25.13";
  std::string modality = "CT", photometric = "MONOCHROME2", burned_in = "NO";
  std::string meta_transfer_syntax;  // empty: the real one
};

// A well-formed instance but for one value.
Instance with(std::string Instance::*field, std::string value) {
  Instance in;
  in.*field = std::move(value);
  return in;
}

void write_instance(const fs::path& file, const Instance& in) {
  DcmFileFormat ff;
  DcmDataset& ds = *ff.getDataset();
  put_value(ds, DCM_SOPClassUID, in.sop_class);
  put_value(ds, DCM_SOPInstanceUID, in.sop);
  put_value(ds, DCM_StudyInstanceUID, in.study);
  put_value(ds, DCM_SeriesInstanceUID, in.series);
  put_value(ds, DCM_Modality, in.modality);
  put_value(ds, DCM_PatientID, "P1");
  put_value(ds, DCM_PatientName, "DOE^JANE");
  put_value(ds, DCM_BurnedInAnnotation, in.burned_in);
  ds.putAndInsertUint16(DCM_Rows, 8);
  ds.putAndInsertUint16(DCM_Columns, 8);
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_BitsStored, 12);
  ds.putAndInsertUint16(DCM_HighBit, 11);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  put_value(ds, DCM_PhotometricInterpretation, in.photometric);
  const std::vector<Uint16> pixels(64, 100);
  ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(), pixels.size());
  E_FileWriteMode mode = EWM_fileformat;
  if (!in.meta_transfer_syntax.empty()) {
    ff.validateMetaInfo(EXS_LittleEndianExplicit);
    ff.getMetaInfo()->putAndInsertString(DCM_TransferSyntaxUID, in.meta_transfer_syntax.c_str());
    mode = EWM_dontUpdateMeta;
  }
  ASSERT_TRUE(ff.saveFile(OFFilename(file.c_str()), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_recalcGL,
                          EPD_noChange, 0, 0, mode)
                  .good());
}

TEST(HostileValues, ReportIsWrittenAndQuotesNoneOfThem) {
  TempDir dir;
  const fs::path in = dir / "in";
  fs::create_directories(in);
  std::vector<std::pair<std::string, Instance>> files;
  for (const auto& bad : {kLatin1Uid, kUtf8Uid, kControlUid, kAsciiUid}) {
    const std::string n = std::to_string(files.size());
    files.push_back({"ts-" + n, with(&Instance::meta_transfer_syntax, bad)});
    files.push_back({"sop-" + n, with(&Instance::sop, bad)});
    files.push_back({"study-" + n, with(&Instance::study, bad)});
    files.push_back({"series-" + n, with(&Instance::series, bad)});
  }
  files.push_back({"class-latin1", with(&Instance::sop_class, std::string(UID_CTImageStorage) + "\xB0HOFFMANN")});
  files.push_back({"modality-latin1", with(&Instance::modality, "US\xB0SCHMIDT")});
  Instance photometric = with(&Instance::photometric, "MONO\xC3\x9CWAGNER");
  photometric.burned_in = "YES";
  files.push_back({"photometric-utf8", photometric});
  for (std::size_t i = 0; i < files.size(); ++i) {
    Instance instance = files[i].second;
    if (instance.sop == Instance{}.sop) instance.sop += std::to_string(i);  // one instance each
    write_instance(in / (files[i].first + "-" + std::to_string(i) + ".dcm"), instance);
  }

  const std::string key = (dir / "k.key").string();
  ASSERT_EQ(run_radveil("key new " + key).exit_code, 0);
  const fs::path report_file = dir / "report.json", quarantine = dir / "q";
  const auto run = run_radveil("deid " + in.string() + " " + (dir / "out").string() + " --key " + key +
                               " --quarantine " + quarantine.string() + " --report " + report_file.string() +
                               " --option clean-pixel-data");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  ASSERT_TRUE(fs::exists(report_file)) << "the report is written";
  const auto report = nlohmann::json::parse(std::ifstream(report_file));
  EXPECT_EQ(report["files"].get<std::size_t>(), files.size()) << "every file accounted for";
  EXPECT_EQ(report["reasons"]["quarantined"].value("unsupported-transfer-syntax", 0), 4) << report.dump(1);
  EXPECT_EQ(report["reasons"]["quarantined"].value("invalid-value", 0), 2) << "a kept class UID and modality";
  EXPECT_EQ(report["reasons"]["quarantined"].value("unsupported-pixel-format", 0), 1);
  // A replaced UID (a keyed pseudonym of whatever bytes it held) is safe to write; nothing planted is.
  for (const auto& e : fs::recursive_directory_iterator(dir / "out")) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = read_file(e.path());
    for (const auto& name : kPlanted) EXPECT_EQ(bytes.find(name), std::string::npos) << "output carries " << name;
  }

  for (const auto& s : strings_in(report)) {
    EXPECT_TRUE(printable_ascii(s)) << "report string with raw bytes";
    for (const auto& name : kPlanted) EXPECT_EQ(s.find(name), std::string::npos) << "report quotes " << name;
  }
  for (const auto& line : read_manifest(quarantine)) {
    for (const auto& [field, value] : line.fields.items()) {
      if (field == "source") continue;
      const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
      EXPECT_TRUE(printable_ascii(text)) << field;
      for (const auto& name : kPlanted) EXPECT_EQ(text.find(name), std::string::npos) << field << " quotes " << name;
    }
  }
  for (const auto& name : kPlanted) EXPECT_EQ(run.output.find(name), std::string::npos) << "terminal shows " << name;
  EXPECT_EQ(run.output.find('\x1b'), std::string::npos) << "an escape sequence reached the terminal";
  std::printf("%s\n", report["reasons"].dump().c_str());
}

}  // namespace
}  // namespace radveil::test
