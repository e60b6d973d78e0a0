#include "face/face_detectors.h"

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <opencv2/objdetect.hpp>
#include <stdexcept>

namespace radveil::face {

namespace {
constexpr const char* kHaarAlt2 = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml";
}

// Neither OpenCV's cascade nor dlib's scanner may be used by two threads at once: one pair per
// concurrent caller, handed out in turn.
struct FaceDetectors::Models {
  struct Pair {
    cv::CascadeClassifier haar;
    dlib::frontal_face_detector hog = dlib::get_frontal_face_detector();
  };
  std::vector<Pair> pairs;
  std::vector<bool> busy;
  std::mutex mutex;
  std::condition_variable freed;

  std::size_t acquire() {
    std::unique_lock lock(mutex);
    freed.wait(lock, [&] { return std::find(busy.begin(), busy.end(), false) != busy.end(); });
    const auto i = static_cast<std::size_t>(std::find(busy.begin(), busy.end(), false) - busy.begin());
    busy[i] = true;
    return i;
  }
  void release(std::size_t i) {
    std::lock_guard lock(mutex);
    busy[i] = false;
    freed.notify_one();
  }
};

FaceDetectors::FaceDetectors() : models_(std::make_unique<Models>()) {
  const unsigned workers = std::max(1u, std::thread::hardware_concurrency());
  models_->pairs.resize(workers);
  for (auto& pair : models_->pairs)
    if (!pair.haar.load(kHaarAlt2))
      throw std::runtime_error(std::string("face detector model missing: ") + kHaarAlt2 + " (Debian package opencv-data)");
  models_->busy.assign(workers, false);
}

FaceDetectors::~FaceDetectors() = default;

std::vector<Detection> FaceDetectors::detect(const cv::Mat& gray, double mm_per_pixel) const {
  std::vector<Detection> out;
  std::vector<cv::Rect> boxes;
  std::vector<int> neighbours;
  const int min_px = std::max(24, static_cast<int>(kMinFaceWidthMm / std::max(0.1, mm_per_pixel)));
  struct Lease {  // returns the pair even if a detector throws
    Models& models;
    std::size_t slot;
    ~Lease() { models.release(slot); }
  } lease{*models_, models_->acquire()};
  auto& pair = models_->pairs[lease.slot];
  pair.haar.detectMultiScale(gray, boxes, neighbours, 1.05, kHaarMinNeighbours, 0, cv::Size(min_px, min_px));
  for (std::size_t i = 0; i < boxes.size(); ++i)
    out.push_back({"haar-alt2", boxes[i], static_cast<double>(neighbours[i])});
  std::vector<dlib::rect_detection> dets;
  {
    dlib::cv_image<unsigned char> image(gray);
    pair.hog(image, dets, kDlibMinScore);
  }
  for (const auto& d : dets)
    if (static_cast<int>(d.rect.width()) >= min_px)
      out.push_back({"dlib-hog", cv::Rect(static_cast<int>(d.rect.left()), static_cast<int>(d.rect.top()),
                                        static_cast<int>(d.rect.width()), static_cast<int>(d.rect.height())),
                   d.detection_confidence});
  return out;
}

}  // namespace radveil::face
