#pragma once
// Recognising DICOM by content: a Part 10 file ("DICM" after a 128-byte preamble) or a bare
// dataset that starts with a plausible group 0002/0008 element in either byte order.
#include <filesystem>

namespace radveil::dicom {

enum class Sniffed { Part10, BareDataset, NotDicom, Unreadable };

class InputFile;

Sniffed sniff(const std::filesystem::path& file);
Sniffed sniff(InputFile& file);  // the same, from a file already open

}  // namespace radveil::dicom
