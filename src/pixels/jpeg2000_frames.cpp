#include "pixels/jpeg2000_frames.h"

#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <openjpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "core/quarantine_error.h"
#include "dicom/values.h"

namespace radveil::pixels {
namespace {

[[noreturn]] void fail(const std::string& why) { throw QuarantineError("undecodable-pixel-data", "JPEG 2000: " + why); }

struct Fragment {
  const Uint8* data;
  std::size_t size;
};

// The encapsulated frames: one fragment per frame when the counts agree, else a new frame starts
// at every fragment that opens with a codestream or JP2 signature.
std::vector<std::vector<Uint8>> frames_of(DcmDataset& ds, std::uint32_t frames) {
  DcmElement* element = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, element).bad() || !element) fail("no Pixel Data");
  auto* pixel_data = dynamic_cast<DcmPixelData*>(element);
  if (!pixel_data) fail("Pixel Data is not encapsulated");
  E_TransferSyntax xfer = EXS_Unknown;
  const DcmRepresentationParameter* param = nullptr;
  DcmPixelSequence* sequence = nullptr;
  pixel_data->getOriginalRepresentationKey(xfer, param);
  if (pixel_data->getEncapsulatedRepresentation(xfer, param, sequence).bad() || !sequence) fail("no fragments");
  std::vector<Fragment> fragments;
  for (unsigned long i = 1; i < sequence->card(); ++i) {  // item 0 is the offset table
    DcmPixelItem* item = nullptr;
    Uint8* data = nullptr;
    if (sequence->getItem(item, i).bad() || !item || item->getUint8Array(data).bad()) fail("unreadable fragment");
    if (data && item->getLength() > 0) fragments.push_back({data, item->getLength()});
  }
  auto starts_frame = [](const Fragment& f) {
    static const Uint8 kCodestream[] = {0xFF, 0x4F, 0xFF, 0x51};
    static const Uint8 kJp2[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20};
    return (f.size >= 4 && std::memcmp(f.data, kCodestream, 4) == 0) || (f.size >= 8 && std::memcmp(f.data, kJp2, 8) == 0);
  };
  std::vector<std::vector<Uint8>> out;
  for (std::size_t i = 0; i < fragments.size(); ++i) {
    const bool one_each = fragments.size() == frames;
    if (out.empty() || one_each || (frames > 1 && starts_frame(fragments[i]))) out.emplace_back();
    out.back().insert(out.back().end(), fragments[i].data, fragments[i].data + fragments[i].size);
  }
  if (out.size() != frames) fail("the fragments do not hold one codestream per frame");
  return out;
}

// OpenJPEG reads from memory through these callbacks.
struct MemoryStream {
  const std::vector<Uint8>& data;
  std::size_t at = 0;
};

OPJ_SIZE_T read_fn(void* buffer, OPJ_SIZE_T n, void* user) {
  auto& s = *static_cast<MemoryStream*>(user);
  if (s.at >= s.data.size()) return static_cast<OPJ_SIZE_T>(-1);
  const std::size_t k = std::min<std::size_t>(n, s.data.size() - s.at);
  std::memcpy(buffer, s.data.data() + s.at, k);
  s.at += k;
  return k;
}
OPJ_OFF_T skip_fn(OPJ_OFF_T n, void* user) {
  auto& s = *static_cast<MemoryStream*>(user);
  const auto k = std::clamp<OPJ_OFF_T>(n, -static_cast<OPJ_OFF_T>(s.at), static_cast<OPJ_OFF_T>(s.data.size() - s.at));
  s.at = static_cast<std::size_t>(static_cast<OPJ_OFF_T>(s.at) + k);
  return k;
}
OPJ_BOOL seek_fn(OPJ_OFF_T n, void* user) {
  auto& s = *static_cast<MemoryStream*>(user);
  if (n < 0 || static_cast<std::size_t>(n) > s.data.size()) return OPJ_FALSE;
  s.at = static_cast<std::size_t>(n);
  return OPJ_TRUE;
}
void quiet(const char*, void*) {}

struct CodecDeleter {
  void operator()(opj_codec_t* c) const { opj_destroy_codec(c); }
};
struct StreamDeleter {
  void operator()(opj_stream_t* s) const { opj_stream_destroy(s); }
};
struct ImageDeleter {
  void operator()(opj_image_t* i) const { opj_image_destroy(i); }
};

struct Geometry {
  int rows, columns, samples, bits_allocated;
};

// Decodes one codestream into `out` at `offset` (samples interleaved, native byte order).
void decode_frame(const std::vector<Uint8>& codestream, const Geometry& g, std::vector<Uint8>& out, std::size_t offset) {
  const bool jp2 = codestream.size() >= 8 && codestream[4] == 0x6A && codestream[5] == 0x50;
  std::unique_ptr<opj_codec_t, CodecDeleter> codec(opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K));
  opj_set_error_handler(codec.get(), quiet, nullptr);
  opj_set_warning_handler(codec.get(), quiet, nullptr);
  opj_set_info_handler(codec.get(), quiet, nullptr);
  opj_dparameters_t params;
  opj_set_default_decoder_parameters(&params);
  if (!opj_setup_decoder(codec.get(), &params)) fail("decoder setup failed");
  MemoryStream memory{codestream};
  std::unique_ptr<opj_stream_t, StreamDeleter> stream(opj_stream_create(1 << 16, OPJ_TRUE));
  opj_stream_set_user_data(stream.get(), &memory, nullptr);
  opj_stream_set_user_data_length(stream.get(), codestream.size());
  opj_stream_set_read_function(stream.get(), read_fn);
  opj_stream_set_skip_function(stream.get(), skip_fn);
  opj_stream_set_seek_function(stream.get(), seek_fn);
  opj_image_t* raw = nullptr;
  if (!opj_read_header(stream.get(), codec.get(), &raw)) fail("unreadable codestream header");
  std::unique_ptr<opj_image_t, ImageDeleter> image(raw);
  if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get()))
    fail("the codestream cannot be decoded");
  if (static_cast<int>(image->numcomps) != g.samples) fail("component count differs from Samples per Pixel");
  const std::size_t pixels = static_cast<std::size_t>(g.rows) * g.columns;
  for (int c = 0; c < g.samples; ++c) {
    const opj_image_comp_t& comp = image->comps[c];
    if (static_cast<int>(comp.w) != g.columns || static_cast<int>(comp.h) != g.rows || !comp.data)
      fail("component size differs from Rows and Columns");
    if (static_cast<int>(comp.prec) > g.bits_allocated) fail("precision exceeds Bits Allocated");
  }
  for (std::size_t p = 0; p < pixels; ++p)
    for (int c = 0; c < g.samples; ++c) {
      const OPJ_INT32 v = image->comps[c].data[p];
      const std::size_t i = p * g.samples + c;
      if (g.bits_allocated == 8) {
        out[offset + i] = static_cast<Uint8>(v);
      } else {
        const auto w = static_cast<Uint16>(v);
        std::memcpy(out.data() + offset + 2 * i, &w, 2);
      }
    }
}

}  // namespace

bool is_jpeg2000(E_TransferSyntax syntax) {
  return syntax == EXS_JPEG2000LosslessOnly || syntax == EXS_JPEG2000 || syntax == EXS_JPEG2000MulticomponentLosslessOnly ||
         syntax == EXS_JPEG2000Multicomponent;
}

void decode_jpeg2000_in_place(DcmDataset& ds) {
  Uint16 rows = 0, columns = 0, samples = 1, bits = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, columns);
  ds.findAndGetUint16(DCM_SamplesPerPixel, samples);
  ds.findAndGetUint16(DCM_BitsAllocated, bits);
  Sint32 frames = 1;
  if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).bad() || frames < 1) frames = 1;
  if (rows == 0 || columns == 0 || (bits != 8 && bits != 16) || (samples != 1 && samples != 3))
    fail("unsupported image geometry");
  const Geometry g{rows, columns, samples, bits};
  const auto codestreams = frames_of(ds, static_cast<std::uint32_t>(frames));
  const std::size_t frame_bytes = static_cast<std::size_t>(rows) * columns * samples * (bits / 8);
  std::vector<Uint8> out(frame_bytes * codestreams.size());
  for (std::size_t f = 0; f < codestreams.size(); ++f) decode_frame(codestreams[f], g, out, f * frame_bytes);
  OFCondition status;
  if (bits == 8)
    status = ds.putAndInsertUint8Array(DCM_PixelData, out.data(), static_cast<unsigned long>(out.size()));
  else
    status = ds.putAndInsertUint16Array(DCM_PixelData, reinterpret_cast<const Uint16*>(out.data()),
                                        static_cast<unsigned long>(out.size() / 2));
  if (status.bad()) fail("the decoded pixels cannot be stored");
  if (samples == 3) {
    // OpenJPEG has undone any reversible or irreversible colour transform.
    ds.putAndInsertString(DCM_PhotometricInterpretation, "RGB");
    ds.putAndInsertUint16(DCM_PlanarConfiguration, 0);
  }
}

}  // namespace radveil::pixels
