#pragma once
// Building small datasets in tests: values of any VR, nested items, private blocks.
#include <dcmtk/dcmdata/dctk.h>

#include <optional>
#include <string>

namespace radveil::test {

// Puts a string value with the tag's dictionary VR; returns false if DCMTK refuses the tag.
bool put_value(DcmItem& item, const DcmTagKey& tag, const std::string& value);
// Appends an item to (creating) sequence `seq` and returns it.
DcmItem& append_item(DcmItem& parent, const DcmTagKey& seq);
// A typical value for a VR, carrying `marker` where the VR allows text.
std::string sample_value(DcmEVR vr, const std::string& marker);
// The whole value as a string, or nullopt if absent.
std::optional<std::string> value_of(DcmItem& item, const DcmTagKey& tag);

}  // namespace radveil::test
