#pragma once
// Reading a DICOM instance with large values left on disk, and writing one atomically with a File
// Meta Information that radveil builds from scratch (zero preamble, no source AE title).
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>
#include <memory>
#include <string>

namespace radveil::dicom {

// Values longer than this stay in the input file until written, so header work never holds
// Pixel Data in memory.
inline constexpr Uint32 kLazyValueThreshold = 4096;

struct LoadedInstance {
  std::unique_ptr<DcmDataset> dataset;
  E_TransferSyntax transfer_syntax = EXS_Unknown;
  bool had_file_meta = false;
  std::string media_storage_sop_class;  // from the input's File Meta, if any
};

// Throws QuarantineError("unparseable", ...) with DCMTK's condition text (never a value).
LoadedInstance load_lazy(const std::filesystem::path& file);

enum class WriteResult { Written, AlreadyExists };

// Writes `dataset` to `target` through a temporary file in the same folder and a rename that
// never replaces an existing file. The dataset is consumed (its File Meta is built around it).
// Throws QuarantineError("write-failed", ...) on I/O errors; no temporary file is left behind.
WriteResult write_atomically(std::unique_ptr<DcmDataset> dataset, E_TransferSyntax transfer_syntax,
                             const std::filesystem::path& target);

}  // namespace radveil::dicom
