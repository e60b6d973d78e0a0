#include "pixels/text_reader.h"

#include <leptonica/allheaders.h>
#include <omp.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <thread>

#include "core/library_messages.h"

namespace radveil::pixels {

// Tesseract engines are not shareable between threads: one per concurrent caller, lent in turn.
struct TextReader::Engines {
  std::vector<std::unique_ptr<tesseract::TessBaseAPI>> apis;
  std::vector<bool> busy;
  std::mutex mutex;
  std::condition_variable freed;
};

TextReader::TextReader() : engines_(std::make_unique<Engines>()) {
  silence_library_messages();
  const unsigned n = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    // debug_file is set during Init, so not even Init's own warnings reach the terminal.
    std::vector<std::string> names = {"debug_file"}, values = {"/dev/null"};
    if (api->Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY, nullptr, 0, &names, &values, false) != 0)
      throw std::runtime_error("Tesseract cannot load its English data (Debian package tesseract-ocr-eng)");
    engines_->apis.push_back(std::move(api));
  }
  engines_->busy.assign(n, false);
}

TextReader::~TextReader() {
  for (auto& api : engines_->apis) api->End();
}

namespace {

// Colour frames: the distance of each pixel from the box's brightest colour (the ink of light
// text, or the label behind dark text), so text drawn over Doppler colour or a coloured bar stands
// apart from it even where both are bright in every channel.
cv::Mat ink_contrast(const cv::Mat& roi) {
  std::vector<cv::Mat> ch;
  cv::split(roi, ch);
  const cv::Mat brightness = cv::max(cv::max(ch[0], ch[1]), ch[2]);
  double top = 0;
  cv::minMaxLoc(brightness, nullptr, &top);
  const cv::Mat inkish = brightness >= top - 24;
  const cv::Scalar ink = cv::mean(roi, inkish);
  cv::Mat diff;
  cv::absdiff(roi, ink, diff);
  std::vector<cv::Mat> d;
  cv::split(diff, d);
  cv::Mat distance = cv::max(cv::max(d[0], d[1]), d[2]);
  cv::Mat gray;
  cv::subtract(cv::Scalar(255), distance, gray);
  return gray;  // ink bright, everything else darker
}

// Dark text on light, upscaled so that small fonts reach Tesseract's comfortable size.
cv::Mat prepare(const cv::Mat& frame, const cv::Rect& box) {
  cv::Mat gray = frame.channels() == 3 ? ink_contrast(frame(box)) : frame(box).clone();
  // Bright text on dark ground is inverted: Tesseract reads dark on light best.
  if (cv::mean(gray)[0] < 128) cv::bitwise_not(gray, gray);
  const double scale = std::clamp(32.0 / std::max(1, box.height), 1.0, 3.0);
  if (scale > 1.0) cv::resize(gray, gray, cv::Size(), scale, scale, cv::INTER_CUBIC);
  cv::copyMakeBorder(gray, gray, 8, 8, 8, 8, cv::BORDER_CONSTANT, cv::Scalar(255));
  return gray;
}

}  // namespace

// Tesseract runs parts of its LSTM under OpenMP with an explicit thread count: under radveil's
// own workers (and beside other processes) those teams fight for the cores, and libgomp's
// spinning made frames several times slower. Each thread that calls Tesseract allows no active
// parallel level for itself (the ICV is per thread since GCC 11), so Tesseract runs on the
// worker's own thread and `--jobs` alone decides how many cores work.
namespace {
void keep_tesseract_on_this_thread() {
  thread_local const bool done = [] {
    omp_set_max_active_levels(0);
    omp_set_num_threads(1);
    return true;
  }();
  (void)done;
}
}  // namespace

// Tesseract engines are lent one per call: a lease returns its engine when it goes out of scope.
class TextReader::Lease {
 public:
  explicit Lease(Engines& e) : e_(e) {
    keep_tesseract_on_this_thread();
    std::unique_lock lock(e_.mutex);
    e_.freed.wait(lock, [&] { return std::find(e_.busy.begin(), e_.busy.end(), false) != e_.busy.end(); });
    slot_ = static_cast<std::size_t>(std::find(e_.busy.begin(), e_.busy.end(), false) - e_.busy.begin());
    e_.busy[slot_] = true;
  }
  ~Lease() {
    std::lock_guard lock(e_.mutex);
    e_.busy[slot_] = false;
    e_.freed.notify_one();
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  tesseract::TessBaseAPI& api() { return *e_.apis[slot_]; }

 private:
  Engines& e_;
  std::size_t slot_ = 0;
};

std::vector<cv::Rect> TextReader::find_lines(const cv::Mat& frame) const {
  Lease lease(*engines_);
  tesseract::TessBaseAPI& api = lease.api();
  cv::Mat gray;
  if (frame.channels() == 3) {
    std::vector<cv::Mat> ch;
    cv::split(frame, ch);
    gray = cv::max(cv::max(ch[0], ch[1]), ch[2]);
  } else {
    gray = frame;
  }
  if (!gray.isContinuous()) gray = gray.clone();
  api.SetPageSegMode(tesseract::PSM_SPARSE_TEXT);
  api.SetImage(gray.data, gray.cols, gray.rows, 1, static_cast<int>(gray.step));
  Boxa* found = api.GetComponentImages(tesseract::RIL_TEXTLINE, true, nullptr, nullptr);
  std::vector<cv::Rect> lines;
  if (found) {
    for (int i = 0; i < found->n; ++i) {
      const Box* b = found->box[i];
      lines.emplace_back(b->x, b->y, b->w, b->h);
    }
    boxaDestroy(&found);
  }
  api.Clear();
  return lines;
}

std::vector<ReadText> TextReader::read(const cv::Mat& frame, const std::vector<cv::Rect>& candidates,
                                       double min_confidence) const {
  Lease lease(*engines_);
  tesseract::TessBaseAPI& api = lease.api();
  const cv::Rect bounds(0, 0, frame.cols, frame.rows);
  std::vector<ReadText> out;
  for (const cv::Rect& candidate : candidates) {
    const cv::Rect box = candidate & bounds;
    if (box.area() <= 0) continue;
    const cv::Mat image = prepare(frame, box);
    api.SetPageSegMode(box.height > 40 ? tesseract::PSM_SINGLE_BLOCK : tesseract::PSM_SINGLE_LINE);
    api.SetImage(image.data, image.cols, image.rows, 1, static_cast<int>(image.step));
    if (api.Recognize(nullptr) != 0) continue;
    std::unique_ptr<char[]> text(api.GetUTF8Text());
    const int confidence = api.MeanTextConf();
    const std::string s = text ? text.get() : "";
    const auto alnum = std::count_if(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
    if (alnum >= kMinCharacters && confidence >= min_confidence) out.push_back({box, s, static_cast<double>(confidence)});
  }
  return out;
}

}  // namespace radveil::pixels
