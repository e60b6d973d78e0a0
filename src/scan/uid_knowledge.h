#pragma once
// What the scan knows about a UID, from the same sources as `deid`: the profile (PS3.15 Table
// E.1-1 and the rule for attributes it does not list) says which attributes hold instance UIDs,
// which it replaces, and which name a class, a coding scheme, a transfer syntax or an
// implementation, which it keeps; DCMTK's UID dictionary names the well-known UIDs.
#include <cstdint>
#include <string_view>
#include <vector>

namespace radveil::scan {

// A UID under the DICOM root (1.2.840.10008.) or one DCMTK's dictionary knows by name (SOP
// classes, transfer syntaxes, coding schemes, mapping resources, ...): it identifies nobody.
bool is_well_known_uid(std::string_view uid);

// True if the basic profile keeps the UIDs of this standard attribute as they are: the
// attributes whose value names a class, a scheme, a syntax or an implementation (SOP Class UID,
// Coding Scheme UID, Mapping Resource UID, Implementation Class UID, ...). False for the
// attributes whose UIDs it replaces (every instance UID), for attributes it does not know, and
// for private attributes.
bool profile_keeps_uid(std::uint16_t group, std::uint16_t element);

// The UIDs written in free text (a private or unknown value read as text, a description): runs of
// digits and dots that are UIDs of at least four components and ten characters, so that a
// version ("3.6.7") or a decimal ("0.488") is not taken for one.
std::vector<std::string_view> uids_in_text(std::string_view text);

}  // namespace radveil::scan
