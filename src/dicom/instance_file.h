#pragma once
// Reading a DICOM instance with large values left on disk, and writing one atomically with a File
// Meta Information that radveil builds from scratch (zero preamble, no source AE title).
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>
#include <memory>
#include <string>

#include "dicom/output_file.h"

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

class InputFile;

// Throws QuarantineError("unparseable", ...) with DCMTK's condition text (never a value).
LoadedInstance load_lazy(const std::filesystem::path& file);
// The same from a file already open (its blocks already read are used again). Values left on disk
// are read later by the file's name.
LoadedInstance load_lazy(InputFile& file);

// Reads everything, Pixel Data included (for stages that change pixels).
LoadedInstance load_complete(const std::filesystem::path& file);

enum class WriteResult { Written, AlreadyExists };

// Writes `dataset` to `file` with a File Meta Information built from scratch. The dataset is
// consumed. Throws QuarantineError("write-failed", ...); a failed write removes `file`. The bytes
// are DCMTK's saveFile()'s; a native Pixel Data still in its input is copied by range (output_file.h).
// `writer` DcmtkSaveFile is the way every file was written before (DCMTK's saveFile, its stdio
// stream): the reference the tests hold the fast writer to. Returns how Pixel Data was copied.
enum class Writer { Fast, DcmtkSaveFile };
PixelDataCopy write_file(std::unique_ptr<DcmDataset> dataset, E_TransferSyntax transfer_syntax,
                         const std::filesystem::path& file, Writer writer = Writer::Fast);

// Moves `staged` to `target` atomically, creating folders, never replacing an existing file.
// On AlreadyExists `staged` is left for the caller. Throws QuarantineError("write-failed", ...).
WriteResult publish_no_replace(const std::filesystem::path& staged, const std::filesystem::path& target);

// write_file to a temporary name beside `target`, then publish_no_replace (removing the
// temporary file if `target` exists). No temporary file is ever left behind.
WriteResult write_atomically(std::unique_ptr<DcmDataset> dataset, E_TransferSyntax transfer_syntax,
                             const std::filesystem::path& target);

}  // namespace radveil::dicom
