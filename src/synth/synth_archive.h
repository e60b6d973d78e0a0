#pragma once
// A synthetic archive of realistic DICOM with made-up identities planted everywhere real archives
// carry them (header, nested sequences, private blocks, SR text, overlays, File Meta, preamble,
// folder names), in several transfer syntaxes and character sets, plus a JSON answer key.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace radveil::synth {

struct SynthConfig {
  std::filesystem::path out;  // OUT/archive/... and OUT/answer-key.json
  int patients = 3;
  int slices = 8;             // CT slices per patient; the MR has half as many (at least 2)
  std::uint64_t seed = 1;
  int rows = 512;             // CT matrix
  int mr_rows = 0;            // MR matrix; 0: half the CT's
  int us_frames = 1;          // frames of the ultrasound (more than one: a cine loop)
  // Transfer syntaxes that patients rotate through: any of "explicit", "implicit", "big-endian",
  // "deflated" (the default is all four; a benchmark of uncompressed data uses the first two).
  std::vector<std::string> syntaxes = {"explicit", "implicit", "big-endian", "deflated"};
  // The MR series' transfer syntax: empty for the patient's own (as the CT), or "jpeg-ls" (JPEG-LS
  // lossless, as an MR archive often holds), or any name of `syntaxes`.
  std::string mr_syntax;
};

struct SynthSummary {
  std::size_t dicom_files = 0;
  std::size_t other_files = 0;
  std::uintmax_t bytes = 0;
};

SynthSummary synthesize_archive(const SynthConfig& config);

}  // namespace radveil::synth
