#pragma once
// radveil's identity as a DICOM implementation.
namespace radveil {

inline constexpr const char* kVersion = "0.1.0";
// A UUID-derived UID (2.25) minted once for radveil; written as Implementation Class UID.
inline constexpr const char* kImplementationClassUid = "2.25.19497298705999812239298288168111526531";
inline constexpr const char* kImplementationVersionName = "RADVEIL_010";

}  // namespace radveil
