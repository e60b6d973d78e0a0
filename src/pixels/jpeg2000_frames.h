#pragma once
// JPEG 2000 Pixel Data (lossless and lossy, JP2 or raw codestream) decoded with OpenJPEG, which
// Debian ships and DCMTK's open-source codecs lack. Replaces the encapsulated Pixel Data of the
// dataset with native uncompressed values (colour interleaved, Photometric RGB after any
// inverse colour transform).
#include <dcmtk/dcmdata/dctk.h>

namespace radveil::pixels {

bool is_jpeg2000(E_TransferSyntax syntax);

// Throws QuarantineError("undecodable-pixel-data", ...) when a frame cannot be decoded or does
// not match the image's Rows, Columns, Samples per Pixel and Bits Allocated.
void decode_jpeg2000_in_place(DcmDataset& dataset);

}  // namespace radveil::pixels
