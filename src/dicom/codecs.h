#pragma once
// DCMTK's pixel codecs (JPEG, JPEG-LS, RLE; decoders and encoders), registered once per process
// before any stage decodes or re-encodes Pixel Data. Thread-safe.
namespace radveil::dicom {

void register_codecs();

}  // namespace radveil::dicom
