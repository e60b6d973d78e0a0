#pragma once
// Identity that shows by its shape, in any text: e-mail addresses, phone numbers, dates in the
// common written forms, ID-like tokens and long digit runs, street addresses, ages over 89, and
// person names where the text announces one (a title, "patient", a DICOM "FAMILY^GIVEN").
// Hand-written scanners over tokens rather than regular expressions: a scan reads every value of
// every file, and std::regex costs tens of microseconds per value.
//
// Shapes only: a bare name with nothing announcing it ("CT head SMITH") is found only with
// `scan --against`, which knows the original's values.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace radveil::scan {

struct TextMatch {
  std::string_view kind;  // "email", "phone", "date-in-text", "time-in-text", "id-in-text",
                          // "address", "age-over-89", "person-name"
  std::size_t begin = 0, end = 0;
};

// Every shape found in free text (descriptions, comments, report text, private values, ...).
std::vector<TextMatch> find_identity_in_text(std::string_view text);

// For file and folder names: e-mail, phone, dates, ID-like tokens; UID-shaped names are left to
// the UID checks of the header.
std::vector<TextMatch> find_identity_in_path_component(std::string_view name);

// A value de-identification tools put in place of one ("ANONYMIZED", "REMOVED", "ANON^ANON", ...).
bool is_placeholder(std::string_view value);
// A Person Name value that names someone: a component of two or more letters only that is not a
// placeholder. Tokens with digits (pseudonyms such as "RV7K2M9QX4^ANON") are not names.
bool is_person_name_value(std::string_view pn);
// An ID-like token: a run of five or more digits, at least half the token digits, and at most one
// change between letters and digits ("MRN1234567", "0012345678", "12345AB"). Random pseudonym
// tokens (letters and digits mixed throughout) are not taken for identifiers: measured on 100,000
// random 16-character base32 tokens in tests/unit/text_patterns_test.cpp.
bool is_id_like_token(std::string_view token);
// A DA value that is a real date (not empty, not a dummy such as 19000101 or before 1901).
bool is_real_date(std::string_view da);
// An AS value ("093Y") or plain years over 89.
bool is_age_over_89(std::string_view as);

}  // namespace radveil::scan
