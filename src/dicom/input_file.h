#pragma once
// One input file opened once and read in large blocks by everything that looks at it before the
// write: the sniff, the nesting guard and DCMTK's parser. DCMTK's own file stream reads through
// stdio in 4 KiB pieces and asks the kernel for the position after every seek (about a hundred
// system calls for a 0.5 MB CT slice whose header is a few KiB); here the header usually costs one
// pread of one block, and large values that are skipped cost nothing.
#include <dcmtk/dcmdata/dcistrma.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace radveil::dicom {

class InputFile {
 public:
  // Bytes read at a time (and kept) when a read misses the block held.
  static constexpr std::size_t kBlock = 64 * 1024;

  // Opens `file` for reading; ok() is false if it cannot be opened (errno is in error()).
  explicit InputFile(const std::filesystem::path& file);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  bool ok() const { return fd_ >= 0; }
  int error() const { return error_; }
  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const { return size_; }  // at opening

  // Copies up to `n` bytes at `offset` into `out`: fewer only at the end of the file (as it was
  // at opening) or on an I/O error (error() then says which). Reads that fit in a block go
  // through the block held; larger ones go straight to `out`.
  std::size_t read_at(std::uint64_t offset, void* out, std::size_t n);

 private:
  bool fill(std::uint64_t offset);

  std::filesystem::path path_;
  int fd_ = -1;
  int error_ = 0;
  std::uint64_t size_ = 0;
  std::vector<char> block_;
  std::uint64_t block_offset_ = 0;
  std::size_t block_size_ = 0;
};

// A DCMTK input stream over an InputFile. Values DCMTK leaves in the file are given the same
// factory DCMTK's own file stream would give them (file name and offset), so they are read later
// exactly as before; once a compression filter is installed (deflate), no value is left behind.
class InputFileStream : public DcmInputStream {
 public:
  explicit InputFileStream(InputFile& file);
  ~InputFileStream() override;
  DcmInputStreamFactory* newFactory() const override;

 private:
  class Producer : public DcmProducer {
   public:
    explicit Producer(InputFile& file) : file_(file) {}
    OFBool good() const override { return status_.good(); }
    OFCondition status() const override { return status_; }
    OFBool eos() override { return position_ >= file_.size(); }
    offile_off_t avail() override;
    offile_off_t read(void* buf, offile_off_t buflen) override;
    offile_off_t skip(offile_off_t skiplen) override;
    void putback(offile_off_t num) override;

   private:
    InputFile& file_;
    std::uint64_t position_ = 0;
    OFCondition status_ = EC_Normal;
  };

  Producer producer_;
  InputFile& file_;
};

}  // namespace radveil::dicom
