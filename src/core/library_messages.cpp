#include "core/library_messages.h"

#include <dcmtk/oflog/oflog.h>
#include <leptonica/allheaders.h>

#include <mutex>
#include <opencv2/core/utils/logger.hpp>

namespace radveil {
namespace {
void discard(const char*) {}
}  // namespace

void silence_library_messages() {
  static std::once_flag once;
  std::call_once(once, [] {
    OFLog::configure(OFLogger::OFF_LOG_LEVEL);  // DCMTK: its messages may quote values
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    setMsgSeverity(L_SEVERITY_NONE);  // Leptonica, under Tesseract
    leptSetStderrHandler(discard);
    // Tesseract writes its debug output to its `debug_file` variable, set per engine
    // (pixels/text_reader.cpp).
  });
}

}  // namespace radveil
