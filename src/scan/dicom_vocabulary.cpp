#include "scan/dicom_vocabulary.h"

#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcdicent.h>
#include <dcmtk/dcmdata/dchashdi.h>

#include <cctype>
#include <set>
#include <string>

namespace radveil::scan {
namespace {

// Splits a keyword at its capitals: "PatientBirthDate" -> PATIENT, BIRTH, DATE.
void add_words(std::string_view keyword, std::set<std::string, std::less<>>& words) {
  std::string word;
  const auto flush = [&] {
    if (word.size() >= 3) words.insert(word);
    word.clear();
  };
  for (const char c : keyword) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isupper(u) || !std::isalpha(u)) flush();
    if (std::isalpha(u)) word.push_back(static_cast<char>(std::toupper(u)));
  }
  flush();
}

std::set<std::string, std::less<>> load_vocabulary() {
  std::set<std::string, std::less<>> words;
  // The write lock only because DCMTK's iterators are non-const; nothing is changed.
  DcmDataDictionary& dict = dcmDataDict.wrlock();
  const auto take = [&](const DcmDictEntry* entry) {
    if (entry && entry->getPrivateCreator() == nullptr && entry->getTagName()) add_words(entry->getTagName(), words);
  };
  for (auto it = dict.normalBegin(); it != dict.normalEnd(); ++it) take(*it);
  for (auto it = dict.repeatingBegin(); it != dict.repeatingEnd(); ++it) take(*it);
  dcmDataDict.wrunlock();
  return words;
}

}  // namespace

bool is_dicom_vocabulary_word(std::string_view word) {
  static const std::set<std::string, std::less<>> vocabulary = load_vocabulary();
  return vocabulary.find(word) != vocabulary.end();
}

std::optional<SourceValueFinding> source_value_finding(const deid::IdentifyingValues& original, std::string_view text) {
  if (!original.found_in(text)) return std::nullopt;
  // Weak alone: a vocabulary word, and a name part of one or two letters (initials, or a name such
  // as "OB" that is also a clinical abbreviation: an ultrasound preset "OB_GENERAL").
  const auto weak = [](std::string_view word) { return word.size() <= 2 || is_dicom_vocabulary_word(word); };
  if (original.found_in(text, weak)) return SourceValueFinding{"source-value", Severity::High};
  return SourceValueFinding{"source-name-word", Severity::Medium};
}

}  // namespace radveil::scan
