// The fast reader and writer (input_file.h, output_file.h) against DCMTK's own loadFile and
// saveFile, the way every instance was read and written before: the same bytes, for every file
// of the corpus and for the shapes of Pixel Data that must not be copied by range.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

#include <fstream>
#include <map>
#include <numeric>
#include <vector>

#include "core/quarantine_error.h"
#include "dicom/input_file.h"
#include "dicom/instance_file.h"
#include "dicom/output_file.h"
#include "dicom/sniff.h"
#include "support/test_support.h"

using namespace radveil;

namespace {

// The instance as radveil read it before: DCMTK's loadFile, large values left in the file.
std::unique_ptr<DcmDataset> load_with_dcmtk(const std::filesystem::path& file) {
  DcmFileFormat format;
  if (format.loadFile(OFFilename(file.c_str()), EXS_Unknown, EGL_noChange, dicom::kLazyValueThreshold, ERM_autoDetect)
          .bad())
    return nullptr;
  return std::unique_ptr<DcmDataset>(format.getAndRemoveDataset());
}

struct Written {
  std::string fast, reference;            // the bytes, or "failed: " and the reason
  dicom::PixelDataCopy copy = dicom::PixelDataCopy::None;
};

// The new path (InputFile reader, fast writer) and the old one (loadFile, saveFile), in `xfer`
// (EXS_Unknown: the syntax the file was read in).
Written write_both(const std::filesystem::path& input, const test::TempDir& dir, E_TransferSyntax xfer = EXS_Unknown) {
  Written w;
  dicom::LoadedInstance loaded = dicom::load_lazy(input);
  const E_TransferSyntax out = xfer == EXS_Unknown ? loaded.transfer_syntax : xfer;
  try {
    w.copy = dicom::write_file(std::move(loaded.dataset), out, dir / "fast.dcm");
    w.fast = test::read_file(dir / "fast.dcm");
  } catch (const QuarantineError& e) {
    w.fast = "failed: " + e.reason();
  }
  auto reference = load_with_dcmtk(input);
  EXPECT_NE(reference, nullptr) << input;
  if (!reference) return w;
  try {
    dicom::write_file(std::move(reference), out, dir / "reference.dcm", dicom::Writer::DcmtkSaveFile);
    w.reference = test::read_file(dir / "reference.dcm");
  } catch (const QuarantineError& e) {
    w.reference = "failed: " + e.reason();
  }
  return w;
}

std::unique_ptr<DcmDataset> image(Uint16 rows, Uint16 columns, Uint16 bits) {
  auto ds = std::make_unique<DcmDataset>();
  ds->putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "2.25.42");
  ds->putAndInsertString(DCM_PatientID, "P");
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_Rows, rows);
  ds->putAndInsertUint16(DCM_Columns, columns);
  ds->putAndInsertUint16(DCM_BitsAllocated, bits);
  ds->putAndInsertUint16(DCM_BitsStored, bits);
  ds->putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(bits - 1));
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  const std::size_t n = std::size_t{rows} * columns;
  if (bits == 8) {
    std::vector<Uint8> px(n);
    for (std::size_t i = 0; i < n; ++i) px[i] = static_cast<Uint8>(i * 7 + 3);
    ds->putAndInsertUint8Array(DCM_PixelData, px.data(), static_cast<unsigned long>(n));
  } else {
    std::vector<Uint16> px(n);
    for (std::size_t i = 0; i < n; ++i) px[i] = static_cast<Uint16>(i * 257 + 11);
    ds->putAndInsertUint16Array(DCM_PixelData, px.data(), static_cast<unsigned long>(n));
  }
  return ds;
}

void save(DcmDataset& ds, const std::filesystem::path& file, E_TransferSyntax xfer,
          E_EncodingType encoding = EET_ExplicitLength) {
  DcmFileFormat format(&ds, OFTrue);
  ASSERT_TRUE(format.saveFile(OFFilename(file.c_str()), xfer, encoding, EGL_recalcGL, EPD_noChange, 0, 0, EWM_updateMeta)
                  .good());
}

}  // namespace

TEST(OutputFile, EveryCorpusFileIsReadAndWrittenAsDcmtkReadsAndWritesIt) {
  auto corpus = test::corpus_dir();
  if (!corpus) GTEST_SKIP() << "no corpus beside the project";
  test::TempDir dir;
  std::map<dicom::PixelDataCopy, int> copies;
  int compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*corpus)) {
    if (!entry.is_regular_file() || dicom::sniff(entry.path()) == dicom::Sniffed::NotDicom) continue;
    dicom::LoadedInstance probe;
    try {
      probe = dicom::load_lazy(entry.path());
    } catch (const QuarantineError&) {
      continue;  // what radveil cannot read, it never writes
    }
    const DcmXfer xfer(probe.transfer_syntax);
    const bool range_allowed = !xfer.isEncapsulated() && xfer.getStreamCompression() == ESC_none;
    const Written w = write_both(entry.path(), dir);
    ++compared;
    ++copies[w.copy];
    EXPECT_TRUE(w.fast == w.reference) << entry.path() << " (" << xfer.getXferName() << ")";
    if (!range_allowed) {
      EXPECT_NE(w.copy, dicom::PixelDataCopy::ByRange) << entry.path();
    }
  }
  EXPECT_GT(compared, 300);
  EXPECT_GT(copies[dicom::PixelDataCopy::ByRange], 100);     // uncompressed slices and frames
  EXPECT_GT(copies[dicom::PixelDataCopy::ThroughDcmtk], 20);  // encapsulated, deflated, small
}

TEST(OutputFile, CorpusFilesWrittenInAnotherSyntaxAreNeverCopiedByRange) {
  auto corpus = test::corpus_dir();
  if (!corpus) GTEST_SKIP() << "no corpus beside the project";
  test::TempDir dir;
  for (const char* name : {"pydicom/MR_small_implicit.dcm", "pydicom/MR_small_bigendian.dcm", "pydicom/CT_small.dcm",
                           "pydicom-data/liver_expb.dcm"}) {
    const auto file = *corpus / name;
    if (!std::filesystem::exists(file)) continue;
    for (E_TransferSyntax out : {EXS_LittleEndianExplicit, EXS_LittleEndianImplicit, EXS_BigEndianExplicit}) {
      if (out == dicom::load_lazy(file).transfer_syntax) continue;
      const Written w = write_both(file, dir, out);
      EXPECT_NE(w.copy, dicom::PixelDataCopy::ByRange) << name;
      EXPECT_TRUE(w.fast == w.reference) << name << " in " << DcmXfer(out).getXferName();
    }
  }
}

TEST(OutputFile, NativePixelDataIsCopiedByRangeInEverySyntaxItCanBe) {
  test::TempDir dir;
  for (E_TransferSyntax xfer : {EXS_LittleEndianExplicit, EXS_LittleEndianImplicit, EXS_BigEndianExplicit}) {
    for (Uint16 bits : {Uint16{8}, Uint16{16}}) {
      auto ds = image(64, 80, bits);  // 5,120 or 10,240 bytes: left in the file when read
      const auto input = dir / ("in-" + std::to_string(xfer) + "-" + std::to_string(bits) + ".dcm");
      save(*ds, input, xfer);
      const Written w = write_both(input, dir);
      EXPECT_EQ(w.copy, dicom::PixelDataCopy::ByRange) << DcmXfer(xfer).getXferName() << " " << bits;
      EXPECT_TRUE(w.fast == w.reference) << DcmXfer(xfer).getXferName() << " " << bits;
    }
  }
}

TEST(OutputFile, PixelDataDcmtkWouldChangeOrThatIsNotLastGoesThroughDcmtk) {
  test::TempDir dir;
  auto check = [&](const std::string& what, DcmDataset& ds, E_TransferSyntax xfer,
                   E_EncodingType encoding = EET_ExplicitLength) {
    const auto input = dir / (what + ".dcm");
    save(ds, input, xfer, encoding);
    const Written w = write_both(input, dir);
    EXPECT_NE(w.copy, dicom::PixelDataCopy::ByRange) << what;
    EXPECT_TRUE(w.fast == w.reference) << what;
  };
  {  // odd length (DCMTK pads what it writes, so the input is made by hand): 4,225 bytes
    auto ds = image(65, 65, 8);
    const auto even = dir / "even.dcm";
    save(*ds, even, EXS_LittleEndianExplicit);
    std::string bytes = test::read_file(even);
    ASSERT_EQ(bytes.substr(bytes.size() - 4226 - 4, 4), std::string("\x82\x10\0\0", 4));  // 4,226
    bytes[bytes.size() - 4226 - 4] = '\x81';
    bytes.pop_back();
    const auto input = dir / "odd-length.dcm";
    std::ofstream(input, std::ios::binary) << bytes;
    const Written w = write_both(input, dir);
    EXPECT_NE(w.copy, dicom::PixelDataCopy::ByRange);
    EXPECT_TRUE(w.fast == w.reference);
  }
  {  // something after Pixel Data
    auto ds = image(64, 80, 16);
    const Uint8 pad[6] = {0, 0, 0, 0, 0, 0};
    ds->putAndInsertUint8Array(DCM_DataSetTrailingPadding, pad, 6);
    check("trailing-padding", *ds, EXS_LittleEndianExplicit);
  }
  {  // a group length that counts the value
    auto ds = image(64, 80, 16);
    ds->putAndInsertUint32(DcmTagKey(0x7FE0, 0x0000), 0);
    const auto input = dir / "group-length.dcm";
    DcmFileFormat format(ds.get(), OFTrue);
    ASSERT_TRUE(format.saveFile(OFFilename(input.c_str()), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_withGL).good());
    const Written w = write_both(input, dir);
    EXPECT_NE(w.copy, dicom::PixelDataCopy::ByRange);
    EXPECT_TRUE(w.fast == w.reference);
  }
  {  // deflated: the parser inflates everything, nothing is left in the file
    auto ds = image(64, 80, 16);
    check("deflated", *ds, EXS_DeflatedLittleEndianExplicit);
  }
  {  // small: read into memory
    auto ds = image(8, 8, 16);
    check("small", *ds, EXS_LittleEndianExplicit);
  }
  {  // encapsulated, undefined length
    auto ds = image(64, 80, 8);
    ds->findAndDeleteElement(DCM_PixelData);
    auto* pixels = new DcmPixelData(DCM_PixelData);
    auto* sequence = new DcmPixelSequence(DcmTag(DCM_PixelSequenceTag));
    sequence->insert(new DcmPixelItem(DcmTag(DCM_PixelItemTag)));  // empty offset table
    std::vector<Uint8> fragment(5000);
    std::iota(fragment.begin(), fragment.end(), Uint8{0});
    auto* item = new DcmPixelItem(DcmTag(DCM_PixelItemTag));
    item->putUint8Array(fragment.data(), static_cast<unsigned long>(fragment.size()));
    sequence->insert(item);
    pixels->putOriginalRepresentation(EXS_RLELossless, nullptr, sequence);
    ds->insert(pixels);
    check("encapsulated", *ds, EXS_RLELossless, EET_UndefinedLength);
  }
  {  // changed by a stage (in memory): DCMTK writes the new values
    auto ds = image(64, 80, 16);
    const auto input = dir / "changed-in.dcm";
    save(*ds, input, EXS_LittleEndianExplicit);
    dicom::LoadedInstance loaded = dicom::load_lazy(input);
    ASSERT_TRUE(loaded.dataset->loadAllDataIntoMemory().good());
    EXPECT_EQ(dicom::write_file(std::move(loaded.dataset), loaded.transfer_syntax, dir / "changed.dcm"),
              dicom::PixelDataCopy::ThroughDcmtk);
  }
}

TEST(InputFile, ReadsAcrossBlocksAndStopsAtTheEnd) {
  test::TempDir dir;
  std::string bytes(3 * dicom::InputFile::kBlock + 123, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 31 + i / 997);
  const auto file = dir / "bytes";
  std::ofstream(file, std::ios::binary) << bytes;
  dicom::InputFile in(file);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in.size(), bytes.size());
  for (std::size_t at : {std::size_t{0}, std::size_t{7}, dicom::InputFile::kBlock - 3, 2 * dicom::InputFile::kBlock + 5}) {
    for (std::size_t n : {std::size_t{1}, std::size_t{16}, std::size_t{4000}, dicom::InputFile::kBlock + 9}) {
      std::string out(n, 'x');
      const std::size_t got = in.read_at(at, out.data(), n);
      const std::size_t expect = std::min(n, bytes.size() - at);
      ASSERT_EQ(got, expect) << at << " " << n;
      EXPECT_EQ(out.substr(0, got), bytes.substr(at, got)) << at << " " << n;
    }
  }
  char c = 0;
  EXPECT_EQ(in.read_at(bytes.size(), &c, 1), 0u);
  dicom::InputFile missing(dir / "missing");
  EXPECT_FALSE(missing.ok());
}
