#pragma once
// The one error type of the per-instance pipeline: a machine-readable reason (a short kebab-case
// code that reports group by) and a detail for people. Neither may contain a patient value.
#include <stdexcept>
#include <string>

namespace radveil {

class QuarantineError : public std::runtime_error {
 public:
  QuarantineError(std::string reason, std::string detail)
      : std::runtime_error(reason + ": " + detail), reason_(std::move(reason)), detail_(std::move(detail)) {}
  const std::string& reason() const { return reason_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string reason_;
  std::string detail_;
};

}  // namespace radveil
