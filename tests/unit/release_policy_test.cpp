#include <gtest/gtest.h>

#include "deid/release_policy.h"

using namespace radveil::deid;

namespace {
DcmDataset image(const char* modality) {
  DcmDataset ds;
  ds.putAndInsertString(DCM_Modality, modality);
  ds.putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  const Uint16 px[4] = {1, 2, 3, 4};
  ds.putAndInsertUint16Array(DCM_PixelData, px, 4);
  return ds;
}
}  // namespace

TEST(ReleasePolicy, CtAndMrWithoutBurnedInTextMayLeave) {
  auto ct = image("CT");
  EXPECT_FALSE(refuse_release(ct));
  auto mr = image("MR");
  mr.putAndInsertString(DCM_BurnedInAnnotation, "NO");
  EXPECT_FALSE(refuse_release(mr));
}

TEST(ReleasePolicy, ImagesThatMayCarryBurnedInTextAreRefused) {
  for (const char* m : {"US", "SC", "OT", "XA", "ES"}) {
    auto ds = image(m);
    auto r = refuse_release(ds);
    ASSERT_TRUE(r) << m;
    EXPECT_EQ(r->reason, "burned-in-text-risk");
  }
  auto ct = image("CT");
  ct.putAndInsertString(DCM_BurnedInAnnotation, "YES");
  EXPECT_TRUE(refuse_release(ct));
  auto sc = image("CT");
  sc.putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  EXPECT_TRUE(refuse_release(sc));
}

TEST(ReleasePolicy, EncapsulatedDocumentsAndOverlaysInPixelBitsAreRefused) {
  DcmDataset pdf;
  const Uint8 bytes[4] = {'%', 'P', 'D', 'F'};
  pdf.putAndInsertUint8Array(DCM_EncapsulatedDocument, bytes, 4);
  EXPECT_EQ(refuse_release(pdf)->reason, "encapsulated-document");
  auto ct = image("CT");
  ct.putAndInsertUint16(DcmTagKey(0x6000, 0x0010), 4);
  EXPECT_EQ(refuse_release(ct)->reason, "overlay-in-pixel-data");
}
