// Clean Pixel Data scored on an outside data set of real frames with burned-in text:
// JohnSnowLabs dicom-deid-dataset v1.1, a .dcm and a .json of annotated text boxes per frame.
//
//   radveil_external_burned_in --data DIR --out OUTDIR [--json FILE] [--verbose]
//
// DIR holds the inputs (X.dcm beside X.json); OUTDIR is what `radveil deid --option
// clean-pixel-data` made of them. Output paths are pseudonymous, so each output is paired with
// its input by its pixels. For every annotated value the scorer asks whether it can still be
// read in the output (its strokes left as they were, or Tesseract reading it back), and for
// every released frame whether anything was changed away from the annotated text.
// Prints a Markdown table by modality; --json writes the same numbers.
#include <dcmtk/dcmdata/dctk.h>
#include <omp.h>
#include <tesseract/baseapi.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "core/library_messages.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr int kRing = 6;               // ring around a value (polarity); least margin kept around text (precision)
constexpr int kExtreme = 5;            // stored values this close to the frame's min or max count as ink
constexpr int kMinStrokes = 8;         // fewer stroke pixels than this: the value cannot be scored
constexpr int kGround = 3;             // a kept stroke has unchanged ground within this many pixels
constexpr double kInkLegible = 0.20;   // this share of strokes kept still reads
constexpr double kOcrFloor = 0.05;     // below this share of strokes kept, OCR is not even tried
constexpr double kOcrSimilarity = 0.6; // 1 - levenshtein/len(truth) at which a read counts
constexpr int kOcrMargin = 3;
constexpr int kOcrHeight = 40;         // Tesseract reads most reliably at about this text height
constexpr int kOcrBorder = 10;
constexpr int kSampleTarget = 4000;    // pixels compared when pairing an output with its input

const std::set<std::string> kIdentifying = {"Name", "Patient ID", "DOB", "Institution Name"};

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// Frames

// One monochrome frame's stored values (8-bit frames widened to 16).
struct Frame {
  cv::Mat px;             // CV_16U, rows x columns
  bool inverted = false;  // MONOCHROME1: low stored values are displayed white
  std::string modality;
  double min = 0, max = 0;
};

std::string dicom_string(DcmDataset& ds, const DcmTagKey& tag) {
  OFString s;
  return ds.findAndGetOFString(tag, s).good() ? std::string(s.c_str()) : std::string();
}

// Reads a single uncompressed monochrome frame of 8 or 16 bits; anything else is refused with
// the reason in `why` (the data set has none such, but the scorer must not misread one). The
// modality is read even from a refused file, to count it where it belongs.
bool read_frame(const fs::path& file, Frame& f, std::string& why) {
  f.modality = "unknown";
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str()).bad()) {
    why = "unreadable";
    return false;
  }
  DcmDataset& ds = *ff.getDataset();
  f.modality = dicom_string(ds, DCM_Modality);
  if (f.modality.empty()) f.modality = "unknown";
  const std::string photometric = dicom_string(ds, DCM_PhotometricInterpretation);
  Uint16 rows = 0, cols = 0, bits = 0, samples = 1;
  Sint32 frames = 1;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, cols);
  ds.findAndGetUint16(DCM_BitsAllocated, bits);
  ds.findAndGetUint16(DCM_SamplesPerPixel, samples);
  ds.findAndGetSint32(DCM_NumberOfFrames, frames);
  if (DcmXfer(ds.getOriginalXfer()).isEncapsulated()) why = "compressed";
  else if (photometric != "MONOCHROME1" && photometric != "MONOCHROME2") why = "photometric '" + photometric + "'";
  else if (samples != 1) why = "samples per pixel " + std::to_string(samples);
  else if (bits != 8 && bits != 16) why = "bits allocated " + std::to_string(bits);
  else if (frames > 1) why = std::to_string(frames) + " frames";
  else if (rows == 0 || cols == 0) why = "no rows or columns";
  if (!why.empty()) return false;

  const std::size_t n = static_cast<std::size_t>(rows) * cols;
  f.px.create(rows, cols, CV_16U);
  unsigned long count = 0;
  if (bits == 16) {
    const Uint16* data = nullptr;
    if (ds.findAndGetUint16Array(DCM_PixelData, data, &count).bad() || count < n) why = "short pixel data";
    else std::copy(data, data + n, f.px.ptr<std::uint16_t>());
  } else {
    const Uint8* data = nullptr;
    if (ds.findAndGetUint8Array(DCM_PixelData, data, &count).bad() || count < n) why = "short pixel data";
    else std::copy(data, data + n, f.px.ptr<std::uint16_t>());
  }
  if (!why.empty()) return false;
  f.inverted = photometric == "MONOCHROME1";
  cv::minMaxLoc(f.px, &f.min, &f.max);
  return true;
}

// The same ~kSampleTarget positions of every frame of a size: cheap to compare all against all.
std::vector<std::uint16_t> sample_grid(const cv::Mat& px) {
  const double area = static_cast<double>(px.rows) * px.cols;
  const int step = std::max(1, static_cast<int>(std::lround(std::sqrt(area / kSampleTarget))));
  std::vector<std::uint16_t> s;
  for (int y = step / 2; y < px.rows; y += step)
    for (int x = step / 2; x < px.cols; x += step) s.push_back(px.at<std::uint16_t>(y, x));
  return s;
}

double equal_fraction(const std::vector<std::uint16_t>& a, const std::vector<std::uint16_t>& b) {
  if (a.empty() || a.size() != b.size()) return 0;
  std::size_t same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  return static_cast<double>(same) / static_cast<double>(a.size());
}

// ---------------------------------------------------------------------------------------------
// Annotations

struct Box {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // inclusive pixel coordinates, as in the JSON
  cv::Rect rect(int grow = 0) const { return {x0 - grow, y0 - grow, x1 - x0 + 1 + 2 * grow, y1 - y0 + 1 + 2 * grow}; }
};

struct Value {
  std::string key, text;
  bool identifying = false;
  std::vector<Box> boxes;  // one per line of text, top to bottom
};

// Some frames show values without their keys: those keys have no bbox at all.
Box parse_box(const json& j) {
  if (!j.contains("bbox")) return {};
  const auto& b = j.at("bbox");
  return {b.at(0).get<int>(), b.at(1).get<int>(), b.at(2).get<int>(), b.at(3).get<int>()};
}

bool is_empty(const Box& b) { return b.x0 == 0 && b.y0 == 0 && b.x1 == 0 && b.y1 == 0; }

// The distance between the rows of the key column (the median step between key tops).
double line_pitch(const json& annotation) {
  std::vector<int> tops;
  for (const auto& a : annotation) {
    const Box key = parse_box(a.at("key"));
    if (!is_empty(key)) tops.push_back(key.y0);
  }
  std::sort(tops.begin(), tops.end());
  std::vector<int> steps;
  for (std::size_t i = 1; i < tops.size(); ++i)
    if (tops[i] > tops[i - 1]) steps.push_back(tops[i] - tops[i - 1]);
  if (steps.empty()) return 0;
  std::nth_element(steps.begin(), steps.begin() + static_cast<long>(steps.size() / 2), steps.end());
  return steps[steps.size() / 2];
}

// A value that wraps is annotated by its last line only. Its first line sits on the key's row,
// right of the key; lines between (long institution names take up to four) follow at the pitch of
// the key column. Each gets a box across the value's columns, one line high.
std::vector<Box> wrapped_lines(const Box& key, const Box& last, double pitch) {
  std::vector<Box> lines;
  if (is_empty(key) || last.y0 <= key.y1) return lines;
  const int gap = last.y0 - key.y0;
  const int n = pitch > 0 ? std::max(1, static_cast<int>(std::lround(gap / pitch))) : 1;
  const int height = std::max(key.y1 - key.y0, last.y1 - last.y0);
  for (int k = 0; k < n; ++k) {
    const int top = key.y0 + k * gap / n;
    lines.push_back({last.x0, top, last.x1, top + height});
  }
  return lines;
}

// A key's width per character (its colon and the space after it included).
double width_per_character(const Box& key, const std::string& text) {
  return static_cast<double>(key.x1 - key.x0 + 1) / static_cast<double>(text.size() + 2);
}

// A key can wrap too ("Institution" over "Name:" on a narrow mammogram): it is annotated by its
// last line alone, far narrower per character than the frame's other keys. Its first line, and
// the value's first words beside it, sit a pitch above.
std::optional<Box> wrapped_key_line(const Box& key, const std::string& text, const Box& value, double typical_width,
                                    double pitch) {
  if (is_empty(key) || pitch <= 0 || typical_width <= 0 || width_per_character(key, text) >= 0.75 * typical_width)
    return std::nullopt;
  const int top = key.y0 - static_cast<int>(std::lround(pitch));
  return Box{key.x0, top, std::max(key.x1, value.x1), key.y0 - 1};
}

// Reads the annotation of one frame: its values and every annotated box (keys included), which
// the precision check leaves out.
void parse_annotation(const fs::path& file, std::vector<Value>& values, std::vector<Box>& annotated) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  const json doc = json::parse(in);
  const json& annotation = doc.at("annotation");
  const double pitch = line_pitch(annotation);
  std::vector<double> widths;
  for (const auto& a : annotation)
    if (const Box key = parse_box(a.at("key")); !is_empty(key))
      widths.push_back(width_per_character(key, a.at("key").at("text").get<std::string>()));
  std::sort(widths.begin(), widths.end());
  const double typical_width = widths.empty() ? 0 : widths[widths.size() / 2];
  for (const auto& a : annotation) {
    const Box key = parse_box(a.at("key"));
    if (!is_empty(key)) annotated.push_back(key);
    const Box box = parse_box(a.at("value"));
    Value v{a.at("key").at("text").get<std::string>(), a.at("value").at("text").get<std::string>(), false, {}};
    if (is_empty(box) || v.text.empty()) continue;  // values the frame does not show
    v.identifying = kIdentifying.count(v.key) > 0;
    if (const auto first = wrapped_key_line(key, v.key, box, typical_width, pitch)) v.boxes.push_back(*first);
    const std::vector<Box> wrapped = wrapped_lines(key, box, pitch);
    v.boxes.insert(v.boxes.end(), wrapped.begin(), wrapped.end());
    v.boxes.push_back(box);
    annotated.insert(annotated.end(), v.boxes.begin(), v.boxes.end());
    values.push_back(std::move(v));
  }
}

// A mask of the boxes, each grown by `grow` pixels, clipped to the frame.
cv::Mat box_mask(const std::vector<Box>& boxes, cv::Size size, int grow = 0) {
  cv::Mat m = cv::Mat::zeros(size, CV_8U);
  const cv::Rect frame(0, 0, size.width, size.height);
  for (const Box& b : boxes) {
    const cv::Rect r = b.rect(grow) & frame;
    if (r.area() > 0) m(r).setTo(255);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Inputs and outputs

struct Input {
  fs::path path;
  Frame frame;
  std::vector<Value> values;
  std::vector<Box> annotated;
  std::vector<std::uint16_t> samples;
  int output = -1;  // the paired output, -1 when quarantined
};

struct Output {
  fs::path path;
  Frame frame;
  std::vector<std::uint16_t> samples;
  int input = -1;
  double score = 0;     // the paired input's share of equal samples
  double runner_up = 0; // the best other input's: close to `score`, the pairing is a guess
};

std::vector<fs::path> dcm_files(const fs::path& dir, bool recursive) {
  std::vector<fs::path> files;
  auto take = [&](const fs::directory_entry& e) {
    if (e.path().extension() == ".dcm" && e.is_regular_file()) files.push_back(e.path());
  };
  if (recursive)
    for (const auto& e : fs::recursive_directory_iterator(dir)) take(e);
  else
    for (const auto& e : fs::directory_iterator(dir)) take(e);
  std::sort(files.begin(), files.end());
  return files;
}

// Greedy pairing, best score first: every output goes to a distinct input of its size.
void pair_outputs(std::vector<Input>& inputs, std::vector<Output>& outputs) {
  std::vector<std::tuple<double, int, int>> candidates;  // score, output, input
  for (std::size_t o = 0; o < outputs.size(); ++o)
    for (std::size_t i = 0; i < inputs.size(); ++i)
      if (outputs[o].frame.px.size() == inputs[i].frame.px.size())
        candidates.emplace_back(equal_fraction(outputs[o].samples, inputs[i].samples), static_cast<int>(o),
                                static_cast<int>(i));
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  for (const auto& [score, o, i] : candidates) {
    if (outputs[o].input >= 0 || inputs[i].output >= 0) continue;
    outputs[o].input = i;
    outputs[o].score = score;
    inputs[i].output = o;
  }
  for (const auto& [score, o, i] : candidates)
    if (i != outputs[o].input) outputs[o].runner_up = std::max(outputs[o].runner_up, score);
}

// ---------------------------------------------------------------------------------------------
// Reading text back

std::string normalise(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c)) out += static_cast<char>(std::toupper(c));
  return out;
}

// Edit distance of `truth` to the whole of `read` or, with `anywhere`, to its best-matching
// substring (free start and end in `read`).
int edit_distance(const std::string& truth, const std::string& read, bool anywhere) {
  std::vector<int> prev(read.size() + 1), cur(read.size() + 1);
  for (std::size_t j = 0; j <= read.size(); ++j) prev[j] = anywhere ? 0 : static_cast<int>(j);
  for (std::size_t i = 1; i <= truth.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= read.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (truth[i - 1] == read[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return anywhere ? *std::min_element(prev.begin(), prev.end()) : prev.back();
}

bool reads_as(const std::string& truth, const std::string& read) {
  if (truth.empty()) return false;
  const double similarity = 1.0 - static_cast<double>(edit_distance(truth, read, false)) / static_cast<double>(truth.size());
  if (similarity >= kOcrSimilarity) return true;
  // Tesseract may read neighbouring text into the line as well: the value inside it counts.
  return truth.size() >= 4 && edit_distance(truth, read, true) <= 1;
}

// The ways a reader may look at a released frame: as displayed (its own min..max stretched to
// 0..255, white high), and the ink alone (pixels at the frame's high or low extreme, black on
// white): a window pushed to the extreme is how faint remains of text are brought out, and
// Tesseract reads light text on a busy background far better that way. `changed` marks the
// pixels the deid changed: what is left of a value is read with them wiped (below).
struct Views {
  cv::Mat display, ink_high, ink_low, changed;
};

Views views_of(const Frame& out, const Frame& in) {
  Views v;
  const double range = std::max(1.0, out.max - out.min);
  out.px.convertTo(v.display, CV_8U, 255.0 / range, -out.min * 255.0 / range);
  if (out.inverted) cv::bitwise_not(v.display, v.display);
  cv::bitwise_not(out.px >= out.max - kExtreme, v.ink_high);
  cv::bitwise_not(out.px <= out.min + kExtreme, v.ink_low);
  v.changed = out.px != in.px;
  return v;
}

int median(const cv::Mat& gray, const cv::Mat& skip) {
  std::vector<std::uint8_t> v;
  for (int y = 0; y < gray.rows; ++y)
    for (int x = 0; x < gray.cols; ++x)
      if (!skip.at<std::uint8_t>(y, x)) v.push_back(gray.at<std::uint8_t>(y, x));
  if (v.empty()) return 255;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// One line of text cut from a view (with a small margin), upscaled to the height Tesseract reads
// best and framed by its median. The pixels the deid changed take that median too: a black box
// over half a line, or one just above it, does not stop a person reading the rest, but it does
// stop Tesseract; wiped, what is left of the text is read on a plain ground.
cv::Mat line_image(const cv::Mat& view, const cv::Mat& changed, const Box& box) {
  const cv::Rect r = box.rect(kOcrMargin) & cv::Rect(0, 0, view.cols, view.rows);
  if (r.area() <= 0) return {};
  const int ground = median(view(r), changed(r));
  cv::Mat line = view(r).clone();
  line.setTo(ground, changed(r));
  const double scale = static_cast<double>(kOcrHeight) / r.height;
  cv::resize(line, line, cv::Size(), scale, scale, cv::INTER_CUBIC);
  cv::copyMakeBorder(line, line, kOcrBorder, kOcrBorder, kOcrBorder, kOcrBorder, cv::BORDER_CONSTANT,
                     cv::Scalar(ground));
  return line;
}

class Reader {
 public:
  Reader() {
    // Tesseract runs parts of its LSTM under OpenMP: a team of threads spinning for a one-line
    // image costs more than it gains (and slows whatever else runs). One thread, as in radveil.
    omp_set_max_active_levels(0);
    omp_set_num_threads(1);
    // debug_file is set during Init, so not even Init's own warnings reach the terminal.
    std::vector<std::string> names = {"debug_file"}, values = {"/dev/null"};
    if (api_.Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY, nullptr, 0, &names, &values, false) != 0)
      throw std::runtime_error("Tesseract cannot load its English data (Debian package tesseract-ocr-eng)");
    api_.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  }
  ~Reader() { api_.End(); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The normalised text of one line image.
  std::string read(const cv::Mat& image) {
    if (image.empty()) return {};
    api_.SetImage(image.data, image.cols, image.rows, 1, static_cast<int>(image.step));
    std::unique_ptr<char[]> text(api_.GetUTF8Text());
    api_.Clear();
    return normalise(text ? text.get() : "");
  }

 private:
  tesseract::TessBaseAPI api_;
};

// ---------------------------------------------------------------------------------------------
// Scoring

struct Stats {
  int files = 0, unscored_files = 0, released = 0, quarantined = 0;
  int id_scored = 0, id_legible = 0, id_by_ink = 0, id_by_ocr = 0;
  int other_scored = 0, other_legible = 0, unscorable = 0;
  int merged = 0;  // values whose extreme pixels are mostly saturated anatomy's (see Ink)
  int unchanged_outside = 0;
  int unchanged_away = 0;  // unchanged farther than a line height beyond each box's margin
  long long changed_outside_px = 0, changed_away_px = 0, released_px = 0;
};

struct Legible {
  std::string modality, file, key;
  double kept = 0;
  std::string read;
};

double fraction(const cv::Mat& mask, const cv::Mat& within) {
  const int n = cv::countNonZero(within);
  return n ? static_cast<double>(cv::countNonZero(mask & within)) / n : 0.0;
}

// The value's ink: pixels at the frame's high or low extreme inside its boxes, whichever extreme
// is more common there than in the ring around them (the text was burned in at white or black,
// whichever stood out from the background). Pixels of a region at that extreme reaching well
// beyond the value's lines are anatomy, not letters: a name burned in at the maximum over a CT
// table's saturated edge, or white over saturated bone, shares its value with them, and its
// letters there are gone into the anatomy for any reader (`merged` counts what was so dropped).
struct Ink {
  cv::Mat strokes;
  bool high = true;
  int merged = 0;  // extreme pixels in the boxes that belong to a region beyond the value's lines
};

cv::Mat within_lines(const cv::Mat& extreme, const Value& v) {
  int height = 0;
  for (const Box& b : v.boxes) height = std::max(height, b.y1 - b.y0 + 1);
  const cv::Mat near = box_mask(v.boxes, extreme.size(), height);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(extreme & box_mask(v.boxes, extreme.size(), 2 * height), labels, stats,
                                                 centroids, 8, CV_32S);
  std::vector<std::uint8_t> letter(static_cast<std::size_t>(n), 0);
  for (int i = 1; i < n; ++i) {
    const cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), stats.at<int>(i, cv::CC_STAT_WIDTH),
                     stats.at<int>(i, cv::CC_STAT_HEIGHT));
    letter[static_cast<std::size_t>(i)] = cv::countNonZero(near(r)) == r.area();
  }
  cv::Mat keep = cv::Mat::zeros(extreme.size(), CV_8U);
  for (int y = 0; y < labels.rows; ++y)
    for (int x = 0; x < labels.cols; ++x)
      if (const int l = labels.at<int>(y, x); l > 0 && letter[static_cast<std::size_t>(l)]) keep.at<std::uint8_t>(y, x) = 255;
  return keep;
}

Ink ink_of(const Frame& in, const Value& v, const cv::Mat& annotated) {
  const cv::Size size = in.px.size();
  const cv::Mat inside = box_mask(v.boxes, size);
  const cv::Mat ring = box_mask(v.boxes, size, kRing) & ~annotated;
  const cv::Mat hi = in.px >= in.max - kExtreme, lo = in.px <= in.min + kExtreme;
  const double hi_gain = fraction(hi, inside) - fraction(hi, ring);
  const double lo_gain = fraction(lo, inside) - fraction(lo, ring);
  const bool high = hi_gain >= lo_gain;
  const cv::Mat extreme = (high ? hi : lo) & inside;
  const cv::Mat letters = extreme & within_lines(high ? hi : lo, v);
  return {letters, high, cv::countNonZero(extreme) - cv::countNonZero(letters)};
}

// The strokes that still read as ink: unchanged, with an unchanged pixel of their ground (not at
// the ink's extreme) within kGround pixels, so the letter still stands out. A redaction painted
// in the ink's own colour (a black box over black text) leaves the strokes' values as they were
// but takes their ground away: those strokes are gone.
cv::Mat kept_strokes(const Frame& in, const Views& views, const Ink& ink) {
  const cv::Mat at_extreme = ink.high ? in.px >= in.max - kExtreme : in.px <= in.min + kExtreme;
  cv::Mat ground = ~views.changed & ~at_extreme;
  cv::dilate(ground, ground, cv::getStructuringElement(cv::MORPH_RECT, {2 * kGround + 1, 2 * kGround + 1}));
  return ink.strokes & ~views.changed & ground;
}

class Scorer {
 public:
  explicit Scorer(bool verbose) : verbose_(verbose) {}

  void score(const Input& in, const Output* out, Stats& s) {
    if (out) score_precision(in, *out, s);
    const cv::Mat annotated = box_mask(in.annotated, in.frame.px.size());
    const Views views = out ? views_of(out->frame, in.frame) : Views();
    for (const Value& v : in.values) score_value(in, out, v, annotated, views, s);
  }

  const std::vector<Legible>& legible() const { return legible_; }
  int unscorable_beyond_frame() const { return unscorable_beyond_frame_; }

 private:
  // Pixels changed away from all annotated text. Each box keeps a margin of kRing pixels or half
  // its height, whichever is more: a line is redacted with room for its ascenders and descenders
  // and a margin, and on 12 px mammography text that is more than 6 px.
  void score_precision(const Input& in, const Output& out, Stats& s) const {
    cv::Mat near_text = cv::Mat::zeros(in.frame.px.size(), CV_8U), beside_text = near_text.clone();
    const cv::Rect frame(0, 0, near_text.cols, near_text.rows);
    for (const Box& b : in.annotated) {
      const int height = b.y1 - b.y0 + 1, margin = std::max(kRing, (height + 1) / 2);
      if (const cv::Rect r = b.rect(margin) & frame; r.area() > 0) near_text(r).setTo(255);
      if (const cv::Rect r = b.rect(margin + height) & frame; r.area() > 0) beside_text(r).setTo(255);
    }
    const cv::Mat differs = out.frame.px != in.frame.px;
    const cv::Mat changed_outside = differs & ~near_text;
    const int changed = cv::countNonZero(changed_outside);
    const int away = cv::countNonZero(differs & ~beside_text);
    s.unchanged_outside += changed == 0;
    s.unchanged_away += away == 0;
    s.changed_outside_px += changed;
    s.changed_away_px += away;
    s.released_px += static_cast<long long>(in.frame.px.total());
    if (verbose_ && changed > 0) report_changed_outside(in, changed_outside, changed);
  }

  // Where a released frame changed away from the text: each changed region's box, largest first.
  static void report_changed_outside(const Input& in, const cv::Mat& changed_outside, int changed) {
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(changed_outside, labels, stats, centroids, 8);
    std::vector<cv::Rect> regions;
    for (int i = 1; i < n; ++i)
      regions.emplace_back(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                           stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    std::sort(regions.begin(), regions.end(), [](const cv::Rect& a, const cv::Rect& b) { return a.area() > b.area(); });
    std::cerr << "changed outside: " << in.path.filename().string() << " " << in.frame.px.cols << "x"
              << in.frame.px.rows << " " << changed << " px in " << regions.size() << " regions:";
    for (std::size_t i = 0; i < regions.size() && i < 4; ++i)
      std::cerr << " " << regions[i].width << "x" << regions[i].height << "+" << regions[i].x << "+" << regions[i].y;
    std::cerr << "\n";
  }

  void score_value(const Input& in, const Output* out, const Value& v, const cv::Mat& annotated,
                   const Views& views, Stats& s) {
    const Ink ink = ink_of(in.frame, v, annotated);
    const int n = cv::countNonZero(ink.strokes);
    if (ink.merged > n) {
      ++s.merged;
      if (verbose_)
        std::cerr << "merged: " << in.path.filename().string() << " " << v.key << " " << ink.merged
                  << " extreme pixels in saturated anatomy, " << n << " in letters\n";
    }
    if (n < kMinStrokes) {
      ++s.unscorable;
      const bool cut = beyond_frame(v, in.frame.px.size());
      unscorable_beyond_frame_ += cut;
      if (verbose_)
        std::cerr << "unscorable: " << in.path.filename().string() << " " << v.key << " '" << v.text << "' " << n
                  << " stroke pixels" << (cut ? " (box beyond the frame)" : "") << "\n";
      return;
    }
    (v.identifying ? s.id_scored : s.other_scored)++;
    if (!out) return;  // quarantined: nothing released, nothing legible

    // "Unchanged" in the report: the share of strokes kept (unchanged, and on unchanged ground).
    const double kept = fraction(kept_strokes(in.frame, views, ink), ink.strokes);
    const bool by_ink = kept >= kInkLegible;
    std::string read;
    const bool by_ocr = kept >= kOcrFloor && read_back(views, v, ink.high, read);
    if (!by_ink && !by_ocr) return;
    if (!v.identifying) {
      ++s.other_legible;
      return;
    }
    ++s.id_legible;
    s.id_by_ink += by_ink;
    s.id_by_ocr += by_ocr;
    legible_.push_back({in.frame.modality, in.path.filename().string(), v.key, kept, read});
    if (verbose_)
      std::cerr << "legible: " << in.path.filename().string() << " " << v.key << " kept " << kept << " ocr '"
                << read << "' in " << out->path.string() << "\n";
  }

  // Tesseract reads each line of the value in each look (a single-line crop reads far better
  // than the union of two lines); a look's line reads are joined. The looks: as displayed, the
  // same inverted, and the ink alone of the value's polarity. `read` is the first look's read
  // that matches the truth, or the as-displayed read when none does.
  bool read_back(const Views& views, const Value& v, bool high_ink, std::string& read) {
    const std::string truth = normalise(v.text);
    std::string joined[3];
    for (const Box& b : v.boxes) {
      const cv::Mat shown = line_image(views.display, views.changed, b);
      cv::Mat inverted;
      if (!shown.empty()) cv::bitwise_not(shown, inverted);
      joined[0] += reader_.read(shown);
      joined[1] += reader_.read(inverted);
      joined[2] += reader_.read(line_image(high_ink ? views.ink_high : views.ink_low, views.changed, b));
    }
    for (const std::string& j : joined)
      if (reads_as(truth, j)) {
        read = j;
        return true;
      }
    read = joined[0];
    return false;
  }

  // Some annotations run past the frame's edge (text drawn below the last row): those values are
  // partly or wholly not in the frame at all.
  static bool beyond_frame(const Value& v, cv::Size size) {
    return std::any_of(v.boxes.begin(), v.boxes.end(),
                       [&](const Box& b) { return b.x0 < 0 || b.y0 < 0 || b.x1 >= size.width || b.y1 >= size.height; });
  }

  bool verbose_;
  int unscorable_beyond_frame_ = 0;
  Reader reader_;
  std::vector<Legible> legible_;
};

// ---------------------------------------------------------------------------------------------
// Report

std::string percent(double part, double whole, int decimals = 1) {
  if (whole <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100.0 * part / whole);
  return buf;
}

void add(Stats& total, const Stats& s) {
  total.files += s.files;
  total.unscored_files += s.unscored_files;
  total.released += s.released;
  total.quarantined += s.quarantined;
  total.id_scored += s.id_scored;
  total.id_legible += s.id_legible;
  total.id_by_ink += s.id_by_ink;
  total.id_by_ocr += s.id_by_ocr;
  total.other_scored += s.other_scored;
  total.other_legible += s.other_legible;
  total.unscorable += s.unscorable;
  total.merged += s.merged;
  total.unchanged_outside += s.unchanged_outside;
  total.changed_outside_px += s.changed_outside_px;
  total.unchanged_away += s.unchanged_away;
  total.changed_away_px += s.changed_away_px;
  total.released_px += s.released_px;
}

void print_table(const std::vector<std::pair<std::string, Stats>>& rows) {
  std::cout << "| modality | files | released | quarantined | unscored files | identifying values scored | legible "
               "| legible by ink | legible by OCR | other values legible | unscorable values | values partly in saturated anatomy "
               "| released frames unchanged outside the text boxes | changed pixels outside boxes "
               "| released frames unchanged a line height beyond the boxes | changed pixels a line height beyond |\n"
            << "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& [m, s] : rows) {
    std::cout << "| " << m << " | " << s.files << " | " << s.released << " | " << s.quarantined << " | "
              << s.unscored_files << " | " << s.id_scored << " | " << s.id_legible << " ("
              << percent(s.id_legible, s.id_scored) << ") | " << s.id_by_ink << " | " << s.id_by_ocr << " | "
              << s.other_legible << "/" << s.other_scored << " | " << s.unscorable << " | " << s.merged << " | " << s.unchanged_outside
              << " (" << percent(s.unchanged_outside, s.released) << ") | "
              << percent(static_cast<double>(s.changed_outside_px), static_cast<double>(s.released_px), 3) << " | "
              << s.unchanged_away << " (" << percent(s.unchanged_away, s.released) << ") | "
              << percent(static_cast<double>(s.changed_away_px), static_cast<double>(s.released_px), 3) << " |\n";
  }
}

json to_json(const Stats& s) {
  return {{"files", s.files},
          {"unscored_files", s.unscored_files},
          {"released", s.released},
          {"quarantined", s.quarantined},
          {"identifying_scored", s.id_scored},
          {"identifying_legible", s.id_legible},
          {"identifying_legible_by_ink", s.id_by_ink},
          {"identifying_legible_by_ocr", s.id_by_ocr},
          {"other_scored", s.other_scored},
          {"other_legible", s.other_legible},
          {"unscorable_values", s.unscorable},
          {"values_partly_in_saturated_anatomy", s.merged},
          {"released_unchanged_outside", s.unchanged_outside},
          {"changed_pixels_outside", s.changed_outside_px},
          {"released_unchanged_a_line_beyond", s.unchanged_away},
          {"changed_pixels_a_line_beyond", s.changed_away_px},
          {"released_pixels", s.released_px}};
}

// ---------------------------------------------------------------------------------------------

struct Args {
  fs::path data, out, json;
  bool verbose = false;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw UsageError(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--data") a.data = next();
    else if (arg == "--out") a.out = next();
    else if (arg == "--json") a.json = next();
    else if (arg == "--verbose") a.verbose = true;
    else throw UsageError("unknown argument " + arg);
  }
  if (a.data.empty() || a.out.empty()) throw UsageError("--data and --out are required");
  for (const fs::path& d : {a.data, a.out})
    if (!fs::is_directory(d)) throw UsageError("not a readable folder: " + d.string());
  return a;
}

std::vector<Input> read_inputs(const fs::path& dir, std::map<std::string, Stats>& stats) {
  std::vector<Input> inputs;
  for (const fs::path& file : dcm_files(dir, false)) {
    std::string why;
    Input in{file, {}, {}, {}, {}, -1};
    fs::path annotation = file;
    annotation.replace_extension(".json");
    if (read_frame(file, in.frame, why) && !fs::exists(annotation)) why = "no .json beside it";
    Stats& s = stats[in.frame.modality];
    ++s.files;
    if (!why.empty()) {
      std::cerr << "unscored: " << file.filename().string() << ": " << why << "\n";
      ++s.unscored_files;
      continue;
    }
    parse_annotation(annotation, in.values, in.annotated);
    in.samples = sample_grid(in.frame.px);
    inputs.push_back(std::move(in));
  }
  return inputs;
}

// Outputs that are not single monochrome frames cannot be any input's; counted, named with --verbose.
std::vector<Output> read_outputs(const fs::path& dir, bool verbose) {
  std::vector<Output> outputs;
  int skipped = 0;
  for (const fs::path& file : dcm_files(dir, true)) {
    std::string why;
    Output o{file, {}, {}, -1, 0, 0};
    if (!read_frame(file, o.frame, why)) {
      ++skipped;
      if (verbose) std::cerr << "output not compared: " << file.string() << ": " << why << "\n";
      continue;
    }
    o.samples = sample_grid(o.frame.px);
    outputs.push_back(std::move(o));
  }
  if (skipped) std::cerr << skipped << " outputs not compared (not a single monochrome frame)\n";
  return outputs;
}

// Up to 15 legible identifying values, taken in turn from each modality so that every modality's
// misses show (the list is for debugging; the data set is public and synthetic).
void print_examples(const std::vector<Legible>& legible) {
  std::map<std::string, std::vector<const Legible*>> by_modality;
  for (const Legible& l : legible) by_modality[l.modality].push_back(&l);
  std::vector<const Legible*> shown;
  for (std::size_t round = 0; shown.size() < 15 && shown.size() < legible.size(); ++round)
    for (const auto& [m, list] : by_modality)
      if (round < list.size() && shown.size() < 15) shown.push_back(list[round]);
  if (shown.empty()) return;
  std::cout << "\nLegible identifying values (" << shown.size() << " of " << legible.size() << "):\n\n";
  for (const Legible* l : shown)
    std::cout << "- " << l->modality << " " << l->file << " " << l->key << " unchanged="
              << static_cast<int>(std::lround(100 * l->kept)) << "% ocr='" << l->read << "'\n";
}

// How sure the pairing is: the lowest score, and the pairings another input came within 0.05 of
// (neighbouring slices share their background; a redaction takes away what tells them apart).
void report_pairing(const std::vector<Input>& inputs, const std::vector<Output>& outputs, bool verbose) {
  double lowest = 1;
  std::string lowest_file;
  int unpaired = 0, close = 0;
  for (const Output& o : outputs) {
    if (o.input < 0) {
      ++unpaired;
      continue;
    }
    if (lowest_file.empty() || o.score < lowest) {
      lowest = o.score;
      lowest_file = inputs[static_cast<std::size_t>(o.input)].path.filename().string();
    }
    if (o.runner_up < o.score - 0.05) continue;
    ++close;
    if (verbose)
      std::cerr << "close pairing: " << inputs[static_cast<std::size_t>(o.input)].path.filename().string() << " score "
                << o.score << ", runner-up " << o.runner_up << "\n";
  }
  std::cerr << inputs.size() << " inputs, " << outputs.size() << " outputs (" << unpaired
            << " without an input); lowest pairing score " << lowest << " (" << lowest_file << "), " << close
            << " pairings with a runner-up within 0.05\n";
}

int run(const Args& args) {
  radveil::silence_library_messages();
  std::map<std::string, Stats> stats;
  std::vector<Input> inputs = read_inputs(args.data, stats);
  if (inputs.empty()) throw UsageError("no scorable .dcm in " + args.data.string());
  std::vector<Output> outputs = read_outputs(args.out, args.verbose);
  pair_outputs(inputs, outputs);

  report_pairing(inputs, outputs, args.verbose);

  Scorer scorer(args.verbose);
  for (const Input& in : inputs) {
    Stats& s = stats[in.frame.modality];
    const Output* out = in.output >= 0 ? &outputs[static_cast<std::size_t>(in.output)] : nullptr;
    ++(out ? s.released : s.quarantined);
    scorer.score(in, out, s);
  }

  std::vector<std::pair<std::string, Stats>> rows(stats.begin(), stats.end());
  Stats all;
  for (const auto& [m, s] : rows) add(all, s);
  std::cerr << all.unscorable << " values unscorable (fewer than " << kMinStrokes << " stroke pixels), "
            << scorer.unscorable_beyond_frame() << " of them with a box beyond the frame\n";
  rows.emplace_back("all", all);
  print_table(rows);

  print_examples(scorer.legible());

  if (!args.json.empty()) {
    json j;
    for (const auto& [m, s] : rows) j[m] = to_json(s);
    std::ofstream f(args.json);
    f << j.dump(2) << "\n";
    if (!f) throw std::runtime_error("cannot write " + args.json.string());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_args(argc, argv));
  } catch (const UsageError& e) {
    std::cerr << "radveil_external_burned_in: " << e.what()
              << "\nusage: radveil_external_burned_in --data DIR --out OUTDIR [--json FILE] [--verbose]\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "radveil_external_burned_in: " << e.what() << "\n";
    return 1;
  }
}
