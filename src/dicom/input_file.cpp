#include "dicom/input_file.h"

#include <dcmtk/dcmdata/dcerror.h>
#include <dcmtk/dcmdata/dcistrmf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace radveil::dicom {

InputFile::InputFile(const std::filesystem::path& file) : path_(file) {
  fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    error_ = errno;
    return;
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    error_ = errno;
    ::close(fd_);
    fd_ = -1;
    return;
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool InputFile::fill(std::uint64_t offset) {
  if (block_.empty()) block_.resize(kBlock);
  block_offset_ = offset;
  block_size_ = 0;
  const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, size_ - offset));
  while (block_size_ < want) {
    const ssize_t got = ::pread(fd_, block_.data() + block_size_, want - block_size_,
                                static_cast<off_t>(offset + block_size_));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) error_ = errno;
    if (got <= 0) break;
    block_size_ += static_cast<std::size_t>(got);
  }
  return block_size_ > 0;
}

std::size_t InputFile::read_at(std::uint64_t offset, void* out, std::size_t n) {
  if (fd_ < 0 || offset >= size_) return 0;
  n = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - offset));
  auto* dst = static_cast<char*>(out);
  std::size_t done = 0;
  while (done < n) {
    const std::uint64_t at = offset + done;
    if (at >= block_offset_ && at < block_offset_ + block_size_) {
      const std::size_t take = std::min(n - done, static_cast<std::size_t>(block_offset_ + block_size_ - at));
      std::memcpy(dst + done, block_.data() + (at - block_offset_), take);
      done += take;
      continue;
    }
    if (n - done >= kBlock) {  // a large read: straight into the caller's buffer
      const ssize_t got = ::pread(fd_, dst + done, n - done, static_cast<off_t>(at));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) error_ = errno;
      if (got <= 0) break;
      done += static_cast<std::size_t>(got);
      continue;
    }
    if (!fill(at)) break;
  }
  return done;
}

InputFileStream::InputFileStream(InputFile& file)
    : DcmInputStream(&producer_),  // DCMTK's streams do the same: the base only keeps the pointer
      producer_(file),
      file_(file) {}

InputFileStream::~InputFileStream() = default;

DcmInputStreamFactory* InputFileStream::newFactory() const {
  // As DcmInputFileStream: no factory once a filter (inflate) sits between file and parser.
  if (currentProducer() != &producer_) return nullptr;
  return new DcmInputFileStreamFactory(OFFilename(file_.path().c_str()), tell());
}

offile_off_t InputFileStream::Producer::avail() {
  return position_ < file_.size() ? static_cast<offile_off_t>(file_.size() - position_) : 0;
}

offile_off_t InputFileStream::Producer::read(void* buf, offile_off_t buflen) {
  if (status_.bad() || buf == nullptr || buflen <= 0) return 0;
  const std::size_t got = file_.read_at(position_, buf, static_cast<std::size_t>(buflen));
  position_ += got;
  if (got < static_cast<std::size_t>(buflen) && file_.error() != 0)
    status_ = makeOFCondition(OFM_dcmdata, 18, OF_error, std::strerror(file_.error()));
  return static_cast<offile_off_t>(got);
}

offile_off_t InputFileStream::Producer::skip(offile_off_t skiplen) {
  if (status_.bad() || skiplen <= 0) return 0;
  const std::uint64_t left = position_ < file_.size() ? file_.size() - position_ : 0;
  const std::uint64_t n = std::min<std::uint64_t>(left, static_cast<std::uint64_t>(skiplen));
  position_ += n;
  return static_cast<offile_off_t>(n);
}

void InputFileStream::Producer::putback(offile_off_t num) {
  if (status_.bad() || num <= 0) return;
  if (static_cast<std::uint64_t>(num) <= position_) position_ -= static_cast<std::uint64_t>(num);
  else status_ = EC_PutbackFailed;
}

}  // namespace radveil::dicom
