#pragma once
// Text that reaches a report, a quarantine manifest, the summary or a log line. It is radveil's
// own vocabulary, or an input value checked to be of a harmless shape (a UID is digits and dots,
// a defined term is one of the standard's); anything else is described, never quoted. A broken
// or hostile file can then put neither a name nor an unprintable byte where a UID should be, and
// a report can always be written.
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>

namespace radveil::report_text {

// A DICOM UID: 1 to 64 characters, components of digits separated by single dots.
bool is_uid(std::string_view value);

// The value itself when it is a UID, else a description of what it is not ("a value of N bytes
// that is not a UID").
std::string uid_or_description(std::string_view value);

// The value itself when it is one of `terms` (the standard's defined terms), else `description`.
std::string term_or_description(std::string_view value, std::initializer_list<std::string_view> terms,
                                std::string_view description);

// Printable ASCII only (0x20-0x7E), at most 300 characters.
bool is_printable(std::string_view text);

// A detail for a report: `text` when printable, else a sentence saying it was withheld. The last
// gate before the journal, manifest and report; callers build details from their own words.
std::string checked(std::string_view text);

// A reason code: lower-case letters, digits and single hyphens; anything else becomes
// "invalid-reason" (a programming error, never input).
std::string checked_reason(std::string_view reason);

// An exception from a library or from code that may have quoted input (JSON, OpenCV, the
// standard library), described by its type alone, never by what() ("an unexpected
// std::out_of_range").
std::string describe_unexpected(const std::exception& e);

}  // namespace radveil::report_text
