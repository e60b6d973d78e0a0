#include "dicom/structure_guard.h"

#include <zlib.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/quarantine_error.h"
#include "dicom/input_file.h"

namespace radveil::dicom {
namespace {

// Bytes in order, from the file (in the InputFile's blocks) or from its deflated remainder.
class Source {
 public:
  explicit Source(InputFile& file) : file_(file) {}
  ~Source() {
    if (inflating_) inflateEnd(&zs_);
  }
  bool ok() const { return file_.ok(); }

  // Reads exactly n bytes; false at end of data.
  bool read(void* out, std::size_t n) {
    if (!inflating_) {
      const std::size_t got = file_.read_at(position_, out, n);
      position_ += got;
      file_offset_ += got;
      return got == n;
    }
    auto* dst = static_cast<unsigned char*>(out);
    while (n > 0) {
      if (buffered_ == consumed_ && !refill()) return false;
      const std::size_t take = std::min(n, buffered_ - consumed_);
      std::memcpy(dst, plain_.data() + consumed_, take);
      consumed_ += take;
      dst += take;
      n -= take;
      position_ += take;
    }
    return true;
  }

  bool skip(std::uint64_t n) {
    if (!inflating_) {
      // As a stream's seek: past the end is allowed, the next read then finds nothing.
      position_ += n;
      file_offset_ += n;
      return true;
    }
    std::array<char, 4096> sink{};
    while (n > 0) {
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(n, sink.size()));
      if (!read(sink.data(), take)) return false;
      n -= take;
    }
    return true;
  }

  // Only before inflating: the file is read directly up to there.
  bool seek_to(std::uint64_t offset) {
    position_ = file_offset_ = offset;
    return true;
  }

  void start_inflating() {
    inflating_ = inflateInit2(&zs_, -MAX_WBITS) == Z_OK;
  }
  std::uint64_t position() const { return position_; }

 private:
  bool refill() {
    buffered_ = consumed_ = 0;
    while (buffered_ == 0) {
      if (zs_.avail_in == 0) {
        const std::size_t got = file_.read_at(file_offset_, packed_.data(), packed_.size());
        if (got == 0) return false;
        file_offset_ += got;
        zs_.next_in = reinterpret_cast<Bytef*>(packed_.data());
        zs_.avail_in = static_cast<uInt>(got);
      }
      zs_.next_out = reinterpret_cast<Bytef*>(plain_.data());
      zs_.avail_out = static_cast<uInt>(plain_.size());
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      buffered_ = plain_.size() - zs_.avail_out;
      if (rc != Z_OK && buffered_ == 0) return false;
    }
    return true;
  }

  InputFile& file_;
  std::uint64_t position_ = 0;     // in the bytes as read (inflated, once inflating)
  std::uint64_t file_offset_ = 0;  // in the file
  bool inflating_ = false;
  z_stream zs_{};
  std::array<char, 65536> packed_{};
  std::array<char, 65536> plain_{};
  std::size_t buffered_ = 0, consumed_ = 0;
};

struct Encoding {
  bool explicit_vr = true;
  bool little_endian = true;
  bool deflated = false;
};

std::uint16_t u16(const unsigned char* b, bool le) { return le ? (b[0] | (b[1] << 8)) : ((b[0] << 8) | b[1]); }
std::uint32_t u32(const unsigned char* b, bool le) {
  return le ? (b[0] | (b[1] << 8) | (b[2] << 16) | (std::uint32_t{b[3]} << 24))
            : ((std::uint32_t{b[0]} << 24) | (b[1] << 16) | (b[2] << 8) | b[3]);
}

bool long_length_vr(const unsigned char* vr) {
  static constexpr const char* kLong[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};
  for (const char* v : kLong)
    if (vr[0] == v[0] && vr[1] == v[1]) return true;
  return false;
}

constexpr std::uint32_t kUndefined = 0xFFFFFFFF;

// Reads the File Meta group (always explicit LE) and returns the dataset's encoding.
Encoding read_meta(Source& src, bool& ok) {
  Encoding enc;
  std::string ts;
  ok = false;
  while (true) {
    unsigned char h[8];
    if (!src.read(h, 8)) return enc;
    const std::uint16_t group = u16(h, true), element = u16(h + 2, true);
    if (group != 0x0002) {
      // The first dataset element is already consumed; the caller restarts after the meta.
      ok = true;
      break;
    }
    std::uint32_t len = u16(h + 6, true);
    if (long_length_vr(h + 4)) {
      unsigned char l[4];
      if (!src.read(l, 4)) return enc;
      len = u32(l, true);
    }
    if (element == 0x0010 && len < 256) {
      ts.resize(len);
      if (!src.read(ts.data(), len)) return enc;
      while (!ts.empty() && (ts.back() == '\0' || ts.back() == ' ')) ts.pop_back();
    } else if (len == kUndefined || !src.skip(len)) {
      return enc;
    }
  }
  enc.explicit_vr = ts != "1.2.840.10008.1.2";
  enc.little_endian = ts != "1.2.840.10008.1.2.2";
  enc.deflated = ts == "1.2.840.10008.1.2.1.99";
  return enc;
}

class DepthScanner {
 public:
  DepthScanner(Source& src, Encoding enc, int max_depth) : src_(src), enc_(enc), max_depth_(max_depth) {}

  // `first` holds the already-read 8 bytes of the first element, if any.
  void scan(const unsigned char* first) {
    const unsigned char* pending = first;
    while (true) {
      close_finished_defined_lengths();
      unsigned char h[8];
      if (pending) {
        std::memcpy(h, pending, 8);
        pending = nullptr;
      } else if (!src_.read(h, 8)) {
        return;
      }
      const bool le = enc_.little_endian;
      const std::uint16_t group = u16(h, le), element = u16(h + 2, le);
      if (group == 0xFFFE) {  // items and delimiters have a 4-byte length, no VR, in every syntax
        const std::uint32_t len = u32(h + 4, le);
        if (element == 0xE000) {
          if (len == kUndefined) push_undefined();
          else push_defined(len);  // an item's content is elements again
        } else if (element == 0xE00D || element == 0xE0DD) {
          pop_undefined();
        }
        continue;
      }
      std::uint32_t len;
      bool is_sequence = false;
      if (enc_.explicit_vr) {
        if (long_length_vr(h + 4)) {
          unsigned char l[4];
          if (!src_.read(l, 4)) return;
          len = u32(l, le);
          is_sequence = h[4] == 'S' && h[5] == 'Q';
          is_sequence = is_sequence || (len == kUndefined);  // UN/OB with undefined length: items follow
        } else {
          len = u16(h + 6, le);
        }
      } else {
        len = u32(h + 4, le);
        is_sequence = len == kUndefined;
        if (!is_sequence && len >= 8) {
          // Implicit VR says no VR: a defined-length value that begins with an item is a sequence.
          const std::uint64_t value_end = src_.position() + len;
          unsigned char b[8];
          if (!src_.read(b, 8)) return;
          if (u16(b, le) == 0xFFFE && u16(b + 2, le) == 0xE000) {
            stack_.push_back(value_end);
            check();
            const std::uint32_t item_len = u32(b + 4, le);
            if (item_len == kUndefined) push_undefined();
            else push_defined(item_len);
          } else if (!src_.skip(len - 8)) {
            return;
          }
          continue;
        }
      }
      if (is_sequence) {
        if (len == kUndefined) push_undefined();
        else push_defined(len);
      } else if (len != kUndefined && !src_.skip(len)) {
        return;
      }
    }
  }

 private:
  void check() {
    if (static_cast<int>(stack_.size()) > max_depth_)
      throw QuarantineError("sequence-too-deep",
                            "sequences and items nest deeper than " + std::to_string(max_depth_) + " levels");
  }
  void push_undefined() {
    stack_.push_back(kOpenEnded);
    check();
  }
  void push_defined(std::uint32_t len) {
    stack_.push_back(src_.position() + len);
    check();
  }
  void pop_undefined() {
    while (!stack_.empty() && stack_.back() != kOpenEnded) stack_.pop_back();
    if (!stack_.empty()) stack_.pop_back();
  }
  void close_finished_defined_lengths() {
    while (!stack_.empty() && stack_.back() != kOpenEnded && src_.position() >= stack_.back()) stack_.pop_back();
  }

  static constexpr std::uint64_t kOpenEnded = ~std::uint64_t{0};
  Source& src_;
  Encoding enc_;
  int max_depth_;
  std::vector<std::uint64_t> stack_;
};

}  // namespace

void check_nesting_depth(const std::filesystem::path& file, int max_depth) {
  InputFile in(file);
  check_nesting_depth(in, max_depth);
}

void check_nesting_depth(InputFile& file, int max_depth) {
  Source src(file);
  if (!src.ok()) return;
  unsigned char head[132];
  Encoding enc;
  if (src.read(head, 132) && std::memcmp(head + 128, "DICM", 4) == 0) {
    bool ok = false;
    // read_meta stops after reading the first dataset element's 8-byte header; the scan starts
    // again at that element, in the dataset's own encoding.
    enc = read_meta(src, ok);
    if (!ok) return;
    if (!src.seek_to(src.position() - 8)) return;
    if (enc.deflated) src.start_inflating();
    DepthScanner(src, enc, max_depth).scan(nullptr);
    return;
  }
  // No preamble: a bare dataset, implicit VR unless a VR is spelled out; endianness from group.
  Source& bare = src;
  unsigned char first[8];
  if (!bare.seek_to(0) || !bare.read(first, 8)) return;
  enc.little_endian = first[0] != 0x00 || first[1] == 0x00;
  enc.explicit_vr = std::isupper(first[4]) && std::isupper(first[5]);
  DepthScanner(bare, enc, max_depth).scan(first);
}

}  // namespace radveil::dicom
