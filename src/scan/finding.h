#pragma once
// What a scan finds: one kind of residual identity at one place, how serious it is, and a masked
// excerpt a reviewer can recognise it by without the report itself disclosing the value.
#include <string>
#include <string_view>
#include <vector>

namespace radveil::scan {

// Ordered: a gate at one level fails on findings at that level or above.
enum class Severity { Low = 1, Medium = 2, High = 3 };
std::string_view severity_name(Severity s);

// The level `--fail-on` names; None never fails. Throws std::invalid_argument for other names.
enum class FailLevel { None, Low, Medium, High };
FailLevel parse_fail_level(std::string_view name);
std::string_view fail_level_name(FailLevel level);
bool fails(Severity s, FailLevel level);

struct Finding {
  std::string kind;      // "person-name", "date-in-text", "private-attribute", "burned-in-text", ...
  Severity severity = Severity::Low;
  std::string file;      // relative to the scanned folder, with identifying components masked
  std::string location;  // attribute path "(0040,A730)[2].(0040,A160) TextValue", "preamble", "frame 3", ...
  std::string excerpt;   // masked: the matched characters hidden but their first (see mask_match)
};

// `text` with [begin, end) masked and bracketed: each character of the match after its first
// becomes '*'; at most `context` characters either side are shown, their words masked the same
// way unless plain lower-case words; the rest is cut ("..."). For the redacted text of --against
// findings (values already "***"), begin = end = 0 shows the text with that masking alone.
std::string mask_match(std::string_view text, std::size_t begin, std::size_t end, std::size_t context = 24);
// `text` as valid, printable UTF-8: control bytes become spaces, bytes that are not UTF-8 '?'
// (file names and private creators come from the input, in any encoding).
std::string printable(std::string_view text);
// A whole value masked (an identifier attribute's value, a path component).
std::string mask_all(std::string_view value);

// What each kind means, for the report (one sentence, no values).
std::string_view kind_description(std::string_view kind);

}  // namespace radveil::scan
