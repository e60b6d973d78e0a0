#include <gtest/gtest.h>

#include "core/quarantine_error.h"
#include "dicom/structure_guard.h"
#include "support/dataset_builder.h"
#include "support/test_support.h"

using namespace radveil;

namespace {

void write_nested(const std::filesystem::path& file, int depth, E_TransferSyntax xfer, bool bare) {
  DcmFileFormat ff;
  DcmDataset& ds = *ff.getDataset();
  ds.putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds.putAndInsertString(DCM_SOPInstanceUID, "2.25.99");
  DcmItem* item = &ds;
  for (int d = 0; d < depth; ++d) item = &test::append_item(*item, DCM_ContentSequence);
  item->putAndInsertString(DCM_TextValue, "leaf");
  const Uint16 px[4] = {1, 2, 3, 4};
  ds.putAndInsertUint16Array(DCM_PixelData, px, 4);
  const OFCondition st = bare ? ds.saveFile(OFFilename(file.c_str()), xfer)
                              : ff.saveFile(OFFilename(file.c_str()), xfer, EET_ExplicitLength);
  ASSERT_TRUE(st.good()) << st.text();
}

bool refused(const std::filesystem::path& file) {
  try {
    dicom::check_nesting_depth(file, 20);
    return false;
  } catch (const QuarantineError& e) {
    return e.reason() == "sequence-too-deep";
  }
}

}  // namespace

TEST(StructureGuard, RefusesDeepNestingInEveryEncodingAndAcceptsNormalDepth) {
  test::TempDir dir;
  const std::pair<E_TransferSyntax, const char*> syntaxes[] = {{EXS_LittleEndianExplicit, "explicit"},
                                                               {EXS_LittleEndianImplicit, "implicit"},
                                                               {EXS_BigEndianExplicit, "big-endian"},
                                                               {EXS_DeflatedLittleEndianExplicit, "deflated"}};
  for (const auto& [xfer, name] : syntaxes) {
    // Defined lengths (EET_ExplicitLength) exercise the end-offset tracking; 15 levels = 30 nestings.
    const auto deep = dir / (std::string(name) + "-deep.dcm");
    const auto shallow = dir / (std::string(name) + "-shallow.dcm");
    write_nested(deep, 15, xfer, false);
    write_nested(shallow, 5, xfer, false);
    EXPECT_TRUE(refused(deep)) << name;
    EXPECT_FALSE(refused(shallow)) << name;
  }
  const auto bare = dir / "bare-deep.dcm";
  write_nested(bare, 15, EXS_LittleEndianImplicit, true);
  EXPECT_TRUE(refused(bare));
}
