#include "dicom/output_file.h"

#include <dcmtk/dcmdata/dcistrmf.h>
#include <dcmtk/dcmdata/dcostrma.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcwcache.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/out_of_space.h"
#include "core/quarantine_error.h"

namespace radveil::dicom {
namespace {

// A failure for lack of space is the disk's, not the instance's: OutOfSpace, never a quarantine.
[[noreturn]] void fail(const std::string& what, int err) {
  if (is_out_of_space(err)) throw OutOfSpace(what);
  throw QuarantineError("write-failed", what + ": " + std::strerror(err));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release_and_close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t put = ::write(fd, data, n);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    data += put;
    n -= static_cast<std::size_t>(put);
  }
  return true;
}

// DCMTK's output stream into a descriptor: what DCMTK writes is gathered and written in large
// blocks. The last bytes stay in the buffer until finish(), so that a length can be patched.
class BlockOutputStream : public DcmOutputStream {
 public:
  explicit BlockOutputStream(int fd) : DcmOutputStream(&consumer_), consumer_(fd) {}
  // Writes what is gathered; errno of the first failure, or 0.
  int finish() { return consumer_.drain(); }
  int error() const { return consumer_.error(); }
  std::vector<char>& pending() { return consumer_.buffer(); }

 private:
  class Consumer : public DcmConsumer {
   public:
    explicit Consumer(int fd) : fd_(fd) { buffer_.reserve(kChunk); }
    OFBool good() const override { return error_ == 0; }
    OFCondition status() const override {
      return error_ == 0 ? EC_Normal : makeOFCondition(OFM_dcmdata, 19, OF_error, std::strerror(error_));
    }
    OFBool isFlushed() const override { return OFTrue; }  // as DCMTK's file consumer: all is taken
    offile_off_t avail() const override { return 2147483647L; }  // as DCMTK's file consumer
    offile_off_t write(const void* buf, offile_off_t buflen) override {
      if (error_ != 0 || buf == nullptr || buflen <= 0) return 0;
      const auto* bytes = static_cast<const char*>(buf);
      if (buffer_.size() + static_cast<std::size_t>(buflen) > kChunk && drain() != 0) return 0;
      if (static_cast<std::size_t>(buflen) >= kChunk) {  // a large value: straight out
        if (!write_all(fd_, bytes, static_cast<std::size_t>(buflen))) {
          error_ = errno != 0 ? errno : EIO;
          return 0;
        }
        return buflen;
      }
      buffer_.insert(buffer_.end(), bytes, bytes + buflen);
      return buflen;
    }
    void flush() override {}  // gathering goes on until finish()
    int drain() {
      if (error_ == 0 && !buffer_.empty() && !write_all(fd_, buffer_.data(), buffer_.size()))
        error_ = errno != 0 ? errno : EIO;
      buffer_.clear();
      return error_;
    }
    int error() const { return error_; }
    std::vector<char>& buffer() { return buffer_; }

   private:
    static constexpr std::size_t kChunk = 256 * 1024;
    int fd_;
    int error_ = 0;
    std::vector<char> buffer_;
  };

  Consumer consumer_;
};

// A native Pixel Data still in its input file, last in the dataset, written in the transfer
// syntax it was read in: DCMTK would copy its bytes unchanged (same byte order, no padding, no
// encapsulation), so the kernel can copy them instead.
struct LazyPixelData {
  DcmPixelData* element = nullptr;
  std::string source;
  std::uint64_t offset = 0;
  Uint32 length = 0;
};

std::optional<LazyPixelData> lazy_pixel_data(DcmDataset& ds, E_TransferSyntax xfer) {
  const DcmXfer out(xfer);
  if (xfer != ds.getOriginalXfer() || out.isEncapsulated() || out.getStreamCompression() != ESC_none) return {};
  if (ds.card() == 0) return {};
  DcmElement* last = ds.getElement(ds.card() - 1);
  if (last == nullptr || last->getTag() != DCM_PixelData || last->ident() != EVR_PixelData) return {};
  if (ds.tagExists(DcmTagKey(0x7FE0, 0x0000))) return {};  // its group length would count the value
  auto* pixels = static_cast<DcmPixelData*>(last);
  if (pixels->valueLoaded()) return {};  // in memory (changed, or small): DCMTK writes it
  const DcmInputStreamFactory* factory = pixels->getInputStream();
  if (factory == nullptr || factory->ident() != DFT_DcmInputFileStreamFactory) return {};
  const Uint32 length = pixels->getLengthField();
  if (length == DCM_UndefinedLength || (length & 1) != 0) return {};
  const auto* file_factory = static_cast<const DcmInputFileStreamFactory*>(factory);
  LazyPixelData lazy;
  lazy.element = pixels;
  lazy.source = file_factory->getFilename().getCharPointer();
  lazy.offset = static_cast<std::uint64_t>(file_factory->getOffset());
  lazy.length = length;
  return lazy;
}

// The element header DCMTK wrote for the empty stand-in: tag, (VR, reserved,) zero length.
bool patch_length(std::vector<char>& pending, bool explicit_vr, E_ByteOrder order, Uint32 length) {
  const std::size_t header = explicit_vr ? 12 : 8;
  if (pending.size() < header) return false;
  auto* h = reinterpret_cast<unsigned char*>(pending.data() + pending.size() - header);
  const bool little = order == EBO_LittleEndian;
  const std::array<unsigned char, 4> tag =
      little ? std::array<unsigned char, 4>{0xE0, 0x7F, 0x10, 0x00} : std::array<unsigned char, 4>{0x7F, 0xE0, 0x00, 0x10};
  if (std::memcmp(h, tag.data(), 4) != 0) return false;
  if (explicit_vr && !(h[4] == 'O' && (h[5] == 'B' || h[5] == 'W')) && !(h[4] == 'U' && h[5] == 'N')) return false;
  if (explicit_vr && (h[6] != 0 || h[7] != 0)) return false;
  unsigned char* len = h + header - 4;
  if (len[0] != 0 || len[1] != 0 || len[2] != 0 || len[3] != 0) return false;
  for (int i = 0; i < 4; ++i) {
    const auto byte = static_cast<unsigned char>((length >> (8 * i)) & 0xFF);
    len[little ? i : 3 - i] = byte;
  }
  return true;
}

// Copies [offset, offset + length) of `source` to the end of `out`: copy_file_range, or read and
// write in blocks where the kernel cannot (another file system type, an old kernel).
bool copy_range(const std::string& source, std::uint64_t offset, std::uint64_t length, int out) {
  Fd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return false;
  struct stat st {};
  if (::fstat(in.get(), &st) != 0 || static_cast<std::uint64_t>(st.st_size) < offset + length) {
    errno = EIO;
    return false;
  }
  auto in_off = static_cast<off64_t>(offset);
  std::uint64_t left = length;
  while (left > 0) {
    const ssize_t n = ::copy_file_range(in.get(), &in_off, out, nullptr, left, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL)) break;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    left -= static_cast<std::uint64_t>(n);
  }
  static thread_local std::vector<char> block;
  while (left > 0) {
    if (block.empty()) block.resize(256 * 1024);
    const ssize_t n = ::pread(in.get(), block.data(), std::min<std::uint64_t>(left, block.size()), in_off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    if (!write_all(out, block.data(), static_cast<std::size_t>(n))) return false;
    in_off += n;
    left -= static_cast<std::uint64_t>(n);
  }
  return true;
}

}  // namespace

PixelDataCopy write_file_format(DcmFileFormat& format, E_TransferSyntax transfer_syntax,
                                const std::filesystem::path& file, bool allow_range) {
  Fd out(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (out.get() < 0) fail("cannot create the output file", errno);
  DcmDataset& ds = *format.getDataset();
  std::optional<LazyPixelData> lazy = allow_range ? lazy_pixel_data(ds, transfer_syntax) : std::nullopt;
  PixelDataCopy copy = ds.tagExists(DCM_PixelData) ? PixelDataCopy::ThroughDcmtk : PixelDataCopy::None;
  std::unique_ptr<DcmElement> held;  // the real Pixel Data while an empty stand-in is written
  if (lazy) {
    held.reset(ds.remove(lazy->element));
    auto stand_in = std::make_unique<DcmPixelData>(lazy->element->getTag());
    if (!held || ds.insert(stand_in.get()).bad()) {
      if (held) ds.insert(held.release(), true);
      lazy.reset();
    } else {
      stand_in.release();
    }
  }
  BlockOutputStream stream(out.get());
  DcmWriteCache cache;
  format.transferInit();
  OFCondition status = format.write(stream, transfer_syntax, EET_ExplicitLength, &cache, EGL_recalcGL, EPD_noChange,
                                    0, 0, 0, EWM_dontUpdateMeta);
  format.transferEnd();
  // As DcmOutputFileStream's destructor: the deflate filter, if one was installed, finishes its
  // stream here.
  stream.flush();
  if (held) ds.insert(held.release(), true);  // the real one back in place of the stand-in
  if (status.bad()) {
    if (is_out_of_space(0, file.parent_path())) throw OutOfSpace("an output file cannot be written");
    throw QuarantineError("write-failed", std::string("DICOM writer: ") + status.text());
  }
  if (lazy) {
    const DcmXfer xfer(transfer_syntax);
    if (!patch_length(stream.pending(), xfer.isExplicitVR(), xfer.getByteOrder(), lazy->length)) {
      // Not the header expected: DCMTK writes the whole file after all.
      out.release_and_close();
      return write_file_format(format, transfer_syntax, file, false);
    }
    copy = PixelDataCopy::ByRange;
  }
  if (const int err = stream.finish(); err != 0) fail("cannot write the output file", err);
  if (lazy && !copy_range(lazy->source, lazy->offset, lazy->length, out.get()))
    fail("cannot copy Pixel Data from the input", errno);
  if (out.release_and_close() != 0) fail("cannot write the output file", errno);
  return copy;
}

}  // namespace radveil::dicom
