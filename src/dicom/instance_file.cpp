#include "dicom/instance_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "core/out_of_space.h"
#include "core/quarantine_error.h"
#include "core/report_text.h"
#include "core/version.h"
#include "dicom/input_file.h"
#include "dicom/output_file.h"
#include "dicom/values.h"

namespace radveil::dicom {
namespace {

std::string temp_name_for(const std::filesystem::path& target) {
  static std::atomic<unsigned long> counter{0};
  return ".radveil-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
         target.filename().string();
}

void put_meta(DcmMetaInfo& meta, const DcmTagKey& tag, const std::string& value) {
  if (meta.putAndInsertString(tag, value.c_str()).bad())
    throw QuarantineError("write-failed", "cannot build file meta information");
}

}  // namespace

LoadedInstance load_lazy(const std::filesystem::path& file) {
  InputFile in(file);
  return load_lazy(in);
}

LoadedInstance load_lazy(InputFile& file) {
  // Standard attributes that an explicit-VR writer labelled UN are read with their real VR, so
  // that a UID or a name hidden behind UN gets its proper action.
  static const bool kConvertUnknownVr = [] {
    dcmEnableUnknownVRConversion.set(OFTrue);
    return true;
  }();
  (void)kConvertUnknownVr;
  if (!file.ok()) throw QuarantineError("unparseable", std::string("DICOM parser: ") + std::strerror(file.error()));
  // As DcmFileFormat::loadFile (read mode: detect whether File Meta is there), through a stream
  // that reads in large blocks; values DCMTK leaves on disk are read later from the same file.
  DcmFileFormat format;
  InputFileStream stream(file);
  format.transferInit();
  OFCondition status = format.read(stream, EXS_Unknown, EGL_noChange, kLazyValueThreshold);
  format.transferEnd();
  if (status.bad()) throw QuarantineError("unparseable", std::string("DICOM parser: ") + status.text());
  LoadedInstance out;
  DcmMetaInfo* meta = format.getMetaInfo();
  out.had_file_meta = meta != nullptr && meta->card() > 0;
  if (out.had_file_meta) out.media_storage_sop_class = get_string(*meta, DCM_MediaStorageSOPClassUID);
  out.dataset.reset(format.getAndRemoveDataset());
  if (!out.dataset) throw QuarantineError("unparseable", "no dataset");
  out.transfer_syntax = out.dataset->getOriginalXfer();
  if (out.had_file_meta) {
    const std::string declared = get_string(*meta, DCM_TransferSyntaxUID);
    if (!declared.empty() && DcmXfer(declared.c_str()).getXfer() == EXS_Unknown)
      throw QuarantineError("unsupported-transfer-syntax",
                            "transfer syntax " + report_text::uid_or_description(declared) +
                                " is not supported by this build of DCMTK");
  }
  return out;
}

LoadedInstance load_complete(const std::filesystem::path& file) {
  LoadedInstance loaded = load_lazy(file);
  if (loaded.dataset->loadAllDataIntoMemory().bad())
    throw QuarantineError("unparseable", "the file's values cannot be read completely");
  return loaded;
}

PixelDataCopy write_file(std::unique_ptr<DcmDataset> dataset, E_TransferSyntax transfer_syntax,
                         const std::filesystem::path& file, Writer writer) {
  const std::string sop_class = get_string(*dataset, DCM_SOPClassUID);
  const std::string sop_instance = get_string(*dataset, DCM_SOPInstanceUID);
  if (transfer_syntax == EXS_Unknown) transfer_syntax = EXS_LittleEndianExplicit;
  DcmXfer xfer(transfer_syntax);

  DcmFileFormat format(dataset.release(), OFFalse);  // takes ownership; preamble is all zeros
  DcmMetaInfo& meta = *format.getMetaInfo();
  meta.clear();
  const Uint8 version[2] = {0, 1};
  meta.putAndInsertUint8Array(DCM_FileMetaInformationVersion, version, 2);
  put_meta(meta, DCM_MediaStorageSOPClassUID, sop_class);
  put_meta(meta, DCM_MediaStorageSOPInstanceUID, sop_instance);
  put_meta(meta, DCM_TransferSyntaxUID, xfer.getXferID());
  put_meta(meta, DCM_ImplementationClassUID, kImplementationClassUid);
  put_meta(meta, DCM_ImplementationVersionName, kImplementationVersionName);
  // DCMTK would replace our Implementation Class UID if asked to update the meta header, so we
  // write it as built, with the group length computed here (File Meta is always explicit LE).
  Uint32 group_length = 0;
  for (DcmObject* o = meta.nextInContainer(nullptr); o != nullptr; o = meta.nextInContainer(o))
    group_length += o->calcElementLength(EXS_LittleEndianExplicit, EET_ExplicitLength);
  meta.putAndInsertUint32(DCM_FileMetaInformationGroupLength, group_length);

  if (writer == Writer::DcmtkSaveFile) {
    OFCondition status = format.saveFile(OFFilename(file.c_str()), transfer_syntax, EET_ExplicitLength,
                                         EGL_recalcGL, EPD_noChange, 0, 0, EWM_dontUpdateMeta);
    if (status.bad()) {
      const int error = errno;  // DCMTK's file stream leaves the system's errno in place
      const bool full = is_out_of_space(error, file.parent_path());  // before the partial file frees its space
      std::error_code ec;
      std::filesystem::remove(file, ec);
      if (full) throw OutOfSpace("an output file cannot be written");
      throw QuarantineError("write-failed", std::string("DICOM writer: ") + status.text());
    }
    return format.getDataset()->tagExists(DCM_PixelData) ? PixelDataCopy::ThroughDcmtk : PixelDataCopy::None;
  }
  // The same bytes as the saveFile above, in large writes (output_file.h).
  try {
    return write_file_format(format, transfer_syntax, file);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    throw;
  }
}

WriteResult publish_no_replace(const std::filesystem::path& staged, const std::filesystem::path& target) {
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec && is_out_of_space(ec.value())) throw OutOfSpace("an output folder cannot be made");
  if (ec) throw QuarantineError("write-failed", "cannot create output folder: " + ec.message());
  // renameat2(RENAME_NOREPLACE): atomic, and an instance already in the output is never replaced.
  if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0)
    return WriteResult::Written;
  const int err = errno;
  if (err == EEXIST) return WriteResult::AlreadyExists;
  if (is_out_of_space(err)) throw OutOfSpace("an output file cannot be moved into place");
  throw QuarantineError("write-failed", std::string("cannot move output into place: ") + std::strerror(err));
}

WriteResult write_atomically(std::unique_ptr<DcmDataset> dataset, E_TransferSyntax transfer_syntax,
                             const std::filesystem::path& target) {
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  const std::filesystem::path temp = target.parent_path() / temp_name_for(target);
  write_file(std::move(dataset), transfer_syntax, temp);
  try {
    const WriteResult result = publish_no_replace(temp, target);
    if (result == WriteResult::AlreadyExists) std::filesystem::remove(temp, ec);
    return result;
  } catch (...) {
    std::filesystem::remove(temp, ec);
    throw;
  }
}

}  // namespace radveil::dicom
