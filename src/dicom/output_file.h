#pragma once
// Writing a DICOM file in large blocks, byte for byte as DCMTK's saveFile() would write it.
// DCMTK's file stream writes through stdio in 4 KiB pieces and copies a value it left in the
// input file through a 64 KiB cache; here the header goes out in large writes and a native Pixel
// Data that no stage touched (still in its input file, last in the dataset) is copied from the
// input by copy_file_range: the kernel moves those bytes, radveil never holds them.
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>

namespace radveil::dicom {

// How the last write copied Pixel Data (for tests and the benchmark's counts).
enum class PixelDataCopy { None, ByRange, ThroughDcmtk };

// Writes `format` (its File Meta already built, kept as it is) to `file` in `transfer_syntax`,
// explicit lengths, group lengths recalculated. Throws QuarantineError("write-failed", ...); the
// caller removes `file`. `allow_range` false always lets DCMTK write every value (the reference
// the tests compare against).
PixelDataCopy write_file_format(DcmFileFormat& format, E_TransferSyntax transfer_syntax,
                                const std::filesystem::path& file, bool allow_range = true);

}  // namespace radveil::dicom
