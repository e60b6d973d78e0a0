#include "synth/synth_archive.h"

#include <opencv2/imgproc.hpp>

#include "core/latin1.h"
#include "dicom/codecs.h"
#include "dicom/values.h"

#include <dcmtk/dcmdata/dctk.h>

#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace radveil::synth {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::array<const char*, 8> kFamily = {"SMITH", "GARCIA", "OKONKWO", "TANAKA",
                                                "KOWALSKI", "JOHANSSON", "FERREIRA", "NAKAMURA"};
constexpr std::array<const char*, 8> kGiven = {"JOHN", "MARIA", "CHIDI", "YUKI", "AGNIESZKA", "ERIK", "BEATRIZ", "HARUTO"};
constexpr std::array<const char*, 6> kStreets = {"Elm Street", "Harbour Road", "Linden Allee", "Rua Augusta",
                                                 "Maple Avenue", "Kingsway"};

// Planted values by what may legitimately survive: identity never; dates only under
// retain-long-full-dates; institution and device values only under their retain options.
struct Planted {
  std::set<std::string> identity, dates, institution, device;
};

struct Patient {
  std::string family, given, name_pn, id, alt_id, birth, address, phone, accession, study_id, request_id,
      admission, referring, performer, operator_name, institution, department, station, serial, source_ae;
  std::string charset;  // "", ISO_IR 100, ISO_IR 192
  E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  std::string study_date_a, study_date_b;
};

class Generator {
 public:
  explicit Generator(const SynthConfig& c) : config_(c), rng_(c.seed * 0x9E3779B97F4A7C15ULL + 17) {
    for (const auto& name : c.syntaxes) syntaxes_.push_back(transfer_syntax_named(name));
    if (syntaxes_.empty()) throw std::invalid_argument("synth needs at least one transfer syntax");
    if (!c.mr_syntax.empty()) {
      mr_xfer_ = transfer_syntax_named(c.mr_syntax);
      if (mr_xfer_ == EXS_JPEGLSLossless) dicom::register_codecs();
    }
  }

  SynthSummary run() {
    fs::create_directories(config_.out / "archive");
    for (int p = 0; p < config_.patients; ++p) make_patient(p);
    write_text_file(config_.out / "archive" / "README-for-staff.txt",
                    "Export for " + patients_.front().given + " " + patients_.front().family + ", MRN " +
                        patients_.front().id + "\n");
    ++summary_.other_files;
    json key;
    key["seed"] = config_.seed;
    key["planted"] = {{"identity", planted_.identity}, {"dates", planted_.dates},
                      {"institution", planted_.institution}, {"device", planted_.device}};
    key["uids"] = original_uids_;
    key["instances"] = instances_;
    std::ofstream(config_.out / "answer-key.json") << key.dump(1) << "\n";
    return summary_;
  }

 private:
  std::string digits(int n) {
    std::uniform_int_distribution<int> d(0, 9);
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + d(rng_)));
    if (s[0] == '0') s[0] = '7';
    return s;
  }

  std::string new_uid() {
    std::uniform_int_distribution<std::uint64_t> d;
    unsigned __int128 v = (static_cast<unsigned __int128>(d(rng_)) << 64) | d(rng_);
    std::string s;
    do {
      s.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
      v /= 10;
    } while (v != 0);
    std::string uid = "1.2.826.0.1.3680043.10.99." + std::string(s.rbegin(), s.rbegin() + 30);
    original_uids_.push_back(uid);
    return uid;
  }

  std::string date_plus(const std::string& base_year, int offset_days) {
    int y = std::stoi(base_year);
    int doy = offset_days % 330;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", y + offset_days / 330, 1 + doy / 30, 1 + doy % 28);
    return buf;
  }

  Patient make_identity(int p) {
    Patient pt;
    pt.family = kFamily[p % kFamily.size()];
    pt.given = kGiven[(p * 3 + 1) % kGiven.size()];
    if (p >= static_cast<int>(kFamily.size())) pt.family += std::string("-") + kFamily[(p / kFamily.size()) % kFamily.size()];
    if (p % 3 == 1) {
      pt.charset = "ISO_IR 100";
      pt.family = "MÜLLER" + (p > 1 ? std::to_string(p) : std::string());
      pt.given = "JÜRGEN";
    } else if (p % 3 == 2) {
      pt.charset = "ISO_IR 192";
      pt.family = "ÅSTRÖM" + std::to_string(p);
      pt.given = "ZOË";
    }
    pt.name_pn = pt.family + "^" + pt.given + "^^MR";
    pt.id = "MRN" + digits(7);
    pt.alt_id = "ALT" + digits(6);
    pt.birth = date_plus(std::to_string(1935 + (p * 7) % 55), 40 + p * 13);
    pt.address = std::to_string(10 + p) + " " + kStreets[p % kStreets.size()] + ", Springfield " + digits(5);
    pt.phone = "+1-555-" + digits(3) + "-" + digits(4);
    pt.accession = "ACC" + digits(8);
    pt.study_id = "STU" + digits(5);
    pt.request_id = "REQ" + digits(6);
    pt.admission = "ADM" + digits(6);
    pt.referring = "HOUSE" + std::to_string(p) + "^GREGORY^^DR";
    pt.performer = "CUDDY" + std::to_string(p) + "^LISA";
    pt.operator_name = "CHASE" + std::to_string(p) + "^ROBERT";
    pt.institution = "Princeton Plainsboro Hospital " + std::to_string(p);
    pt.department = "Diagnostic Medicine Wing " + std::to_string(p);
    pt.station = "PPTH-CT-" + digits(4);
    pt.serial = "SN" + digits(8);
    pt.source_ae = "PACS" + digits(6);
    pt.xfer = syntaxes_[static_cast<std::size_t>(p) % syntaxes_.size()];
    pt.study_date_a = date_plus(std::to_string(2016 + p % 6), 20 + p * 11);
    pt.study_date_b = date_plus(std::to_string(2016 + p % 6), 20 + p * 11 + 45 + p);
    for (const auto& v : {pt.family, pt.given, pt.id, pt.alt_id, pt.address, pt.phone, pt.accession, pt.study_id,
                          pt.request_id, pt.admission, std::string("HOUSE") + std::to_string(p),
                          std::string("CUDDY") + std::to_string(p), std::string("CHASE") + std::to_string(p),
                          pt.source_ae})
      planted_.identity.insert(v);
    planted_.identity.insert(pt.birth);
    planted_.dates.insert(pt.study_date_a);
    planted_.dates.insert(pt.study_date_b);
    planted_.institution.insert(pt.institution);
    planted_.institution.insert(pt.department);
    planted_.device.insert(pt.station);
    planted_.device.insert(pt.serial);
    return pt;
  }

  // Values are written in the patient's character set.
  std::string enc(const Patient& pt, const std::string& utf8) const {
    return pt.charset == "ISO_IR 100" ? utf8_to_latin1(utf8) : utf8;
  }

  void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
    if (item.putAndInsertString(tag, value.c_str()).bad())
      throw std::runtime_error("synth: cannot put " + std::string(DcmTag(tag).getTagName()));
  }

  void put_private(DcmItem& item, const DcmTagKey& key, DcmEVR vr, const char* creator, const std::string& value) {
    if (!dicom::put_private(item, key, vr, creator, value)) throw std::runtime_error("synth: cannot put a private attribute");
  }

  DcmItem& add_item(DcmItem& parent, const DcmTagKey& seq_tag) {
    DcmItem* item = nullptr;
    parent.findOrCreateSequenceItem(seq_tag, item, -2);
    return *item;
  }

  void put_code(DcmItem& item, const char* value, const char* scheme, const char* meaning) {
    put(item, DCM_CodeValue, value);
    put(item, DCM_CodingSchemeDesignator, scheme);
    put(item, DCM_CodeMeaning, meaning);
  }

  void common(DcmDataset& ds, const Patient& pt, const std::string& study_uid, const std::string& study_date,
              const std::string& modality) {
    if (!pt.charset.empty()) put(ds, DCM_SpecificCharacterSet, pt.charset);
    put(ds, DCM_PatientName, enc(pt, pt.name_pn));
    put(ds, DCM_PatientID, pt.id);
    put(ds, DCM_IssuerOfPatientID, "PPTH_MRN");
    put(ds, DCM_PatientBirthDate, pt.birth);
    put(ds, DCM_PatientSex, "O");
    put(ds, DCM_PatientAge, "047Y");
    put(ds, DCM_PatientAddress, pt.address);
    put(ds, DCM_PatientTelephoneNumbers, pt.phone);
    put(ds, DCM_RETIRED_OtherPatientIDs, pt.alt_id);
    DcmItem& other = add_item(ds, DCM_OtherPatientIDsSequence);
    put(other, DCM_PatientID, pt.alt_id);
    put(other, DCM_IssuerOfPatientID, "OTHER_HOSPITAL");
    put(other, DCM_TypeOfPatientID, "TEXT");
    put(ds, DCM_PatientBirthName, enc(pt, pt.family + "^" + pt.given));
    put(ds, DCM_PatientComments,
        enc(pt, "Patient " + pt.given + " " + pt.family + " (" + pt.id + ") born " + pt.birth.substr(0, 4) + "-" +
                    pt.birth.substr(4, 2) + "-" + pt.birth.substr(6, 2) + ", call " + pt.phone));
    put(ds, DCM_StudyInstanceUID, study_uid);
    put(ds, DCM_StudyDate, study_date);
    put(ds, DCM_StudyTime, "101500");
    put(ds, DCM_ReferringPhysicianName, pt.referring);
    put(ds, DCM_AccessionNumber, pt.accession);
    put(ds, DCM_StudyID, pt.study_id);
    put(ds, DCM_StudyDescription, enc(pt, modality + " HEAD for " + pt.family + " " + pt.id));
    put(ds, DCM_InstitutionName, pt.institution);
    put(ds, DCM_InstitutionAddress, "1 Hospital Plaza, Princeton");
    put(ds, DCM_InstitutionalDepartmentName, pt.department);
    put(ds, DCM_StationName, pt.station);
    put(ds, DCM_DeviceSerialNumber, pt.serial);
    put(ds, DCM_Manufacturer, "RADVEIL SYNTHETIC");
    put(ds, DCM_ManufacturerModelName, "PHANTOM 1");
    put(ds, DCM_PerformingPhysicianName, pt.performer);
    put(ds, DCM_OperatorsName, pt.operator_name);
    put(ds, DCM_AdmissionID, pt.admission);
    DcmItem& request = add_item(ds, DCM_RequestAttributesSequence);
    put(request, DCM_RequestedProcedureID, pt.request_id);
    put(request, DCM_AccessionNumber, pt.accession);
    put(request, DCM_ScheduledProcedureStepID, "SPS" + pt.request_id);
    put(request, DCM_RequestedProcedureDescription, enc(pt, "Head imaging for " + pt.family));
    DcmItem& ref_study = add_item(request, DCM_ReferencedStudySequence);
    put(ref_study, DCM_ReferencedSOPClassUID, UID_RETIRED_StudyComponentManagementSOPClass);
    put(ref_study, DCM_ReferencedSOPInstanceUID, study_uid);
    // A private block with identity in it, nested too, and one attribute known to be safe.
    put(ds, DcmTagKey(0x0009, 0x0010), "RADVEIL SYNTH 1.0");
    put_private(ds, DcmTagKey(0x0009, 0x1001), EVR_LO, "RADVEIL SYNTH 1.0", enc(pt, pt.name_pn));
    put(ds, DcmTagKey(0x0019, 0x0010), "GEMS_ACQU_01");
    put_private(ds, DcmTagKey(0x0019, 0x1023), EVR_DS, "GEMS_ACQU_01", "39.37");
    put_private(ds, DcmTagKey(0x0019, 0x1099), EVR_LO, "GEMS_ACQU_01", enc(pt, "tech " + pt.family));
  }

  void save(DcmFileFormat& ff, const Patient& pt, const fs::path& rel, bool bare_dataset, bool preamble_text,
            E_TransferSyntax xfer) {
    const fs::path file = config_.out / "archive" / rel;
    fs::create_directories(file.parent_path());
    DcmMetaInfo* meta = ff.getMetaInfo();
    put(*meta, DCM_SourceApplicationEntityTitle, pt.source_ae);
    if (xfer == EXS_Unknown) xfer = pt.xfer;
    if (!bare_dataset && DcmXfer(xfer).isEncapsulated() && ff.getDataset()->chooseRepresentation(xfer, nullptr).bad())
      throw std::runtime_error("synth: cannot encode pixels in " + std::string(DcmXfer(xfer).getXferName()));
    OFCondition st = bare_dataset
                         ? ff.getDataset()->saveFile(OFFilename(file.c_str()), EXS_LittleEndianImplicit)
                         : ff.saveFile(OFFilename(file.c_str()), xfer, EET_UndefinedLength, EGL_recalcGL,
                                       EPD_noChange, 0, 0, EWM_updateMeta);
    if (st.bad()) throw std::runtime_error(std::string("synth: cannot write a file: ") + st.text());
    if (preamble_text && !bare_dataset) {
      // Some archivers put text in the 128-byte preamble; it must never reach the output.
      std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
      std::string text = "PREAMBLE " + pt.id + " " + pt.family;
      text.resize(128, ' ');
      f.write(text.data(), 128);
    }
    ++summary_.dicom_files;
    summary_.bytes += fs::file_size(file);
  }

  void image_pixels(DcmDataset& ds, int rows, bool is_signed, int slice, int slices) {
    put(ds, DCM_SamplesPerPixel, "1");
    put(ds, DCM_PhotometricInterpretation, "MONOCHROME2");
    ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows));
    ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(rows));
    ds.putAndInsertUint16(DCM_BitsAllocated, 16);
    ds.putAndInsertUint16(DCM_BitsStored, 16);
    ds.putAndInsertUint16(DCM_HighBit, 15);
    ds.putAndInsertUint16(DCM_PixelRepresentation, is_signed ? 1 : 0);
    std::vector<Uint16> px(static_cast<std::size_t>(rows) * rows);
    std::uniform_int_distribution<int> noise(-12, 12);
    const double z = slices > 1 ? (2.0 * slice / (slices - 1) - 1.0) * 0.8 : 0.0;
    const double c = rows / 2.0, r_out = rows * 0.42 * std::sqrt(std::max(0.05, 1 - z * z));
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < rows; ++x) {
        const double d = std::hypot((x - c) / 0.85, y - c);
        int v = d > r_out ? -1000 : (d > r_out - rows * 0.03 ? 1100 : 40 + ((x / 16 + y / 16) % 2) * 8);
        if (!is_signed) v = std::max(0, (v + 1000) / 2);
        v += noise(rng_);
        px[static_cast<std::size_t>(y) * rows + x] = static_cast<Uint16>(static_cast<Sint16>(v));
      }
    ds.putAndInsertUint16Array(DCM_PixelData, px.data(), static_cast<unsigned long>(px.size()));
  }

  // A 320x240 8-bit frame: a speckled sector, and the patient's name, ID and birth date burned
  // into the top margin as ultrasound devices do (non-ASCII letters drawn as '?').
  void ultrasound_pixels(DcmDataset& ds, const Patient& pt) {
    constexpr int kRows = 240, kCols = 320;
    put(ds, DCM_SamplesPerPixel, "1");
    put(ds, DCM_PhotometricInterpretation, "MONOCHROME2");
    ds.putAndInsertUint16(DCM_Rows, kRows);
    ds.putAndInsertUint16(DCM_Columns, kCols);
    ds.putAndInsertUint16(DCM_BitsAllocated, 8);
    ds.putAndInsertUint16(DCM_BitsStored, 8);
    ds.putAndInsertUint16(DCM_HighBit, 7);
    ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
    cv::Mat frame(kRows, kCols, CV_8UC1, cv::Scalar(0));
    std::uniform_int_distribution<int> speckle(30, 140);
    for (int y = 70; y < kRows - 10; ++y)
      for (int x = 0; x < kCols; ++x)
        if (std::abs(x - kCols / 2) < (y - 40) * 0.8) frame.at<uchar>(y, x) = static_cast<uchar>(speckle(rng_));
    cv::GaussianBlur(frame, frame, cv::Size(3, 3), 0);
    auto ascii = [](const std::string& s) {
      std::string out;
      for (unsigned char c : s) out += c < 0x80 ? static_cast<char>(c) : '?';
      return out;
    };
    const std::string lines[] = {ascii(pt.family + " " + pt.given), "ID " + pt.id,
                                 "DOB " + pt.birth.substr(0, 4) + "-" + pt.birth.substr(4, 2) + "-" + pt.birth.substr(6, 2)};
    int y = 18;
    for (const auto& line : lines) {
      cv::putText(frame, line, {8, y}, cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(255), 1, cv::LINE_AA);
      y += 20;
    }
    if (config_.us_frames <= 1) {
      ds.putAndInsertUint8Array(DCM_PixelData, frame.data, static_cast<unsigned long>(frame.total()));
      return;
    }
    // A cine loop: the same annotated frame, its speckle shifted a row per frame, 25 frames/s.
    put(ds, DCM_NumberOfFrames, std::to_string(config_.us_frames));
    put(ds, DCM_FrameTime, "40");
    ds.putAndInsertTagKey(DCM_FrameIncrementPointer, DCM_FrameTime);
    std::vector<Uint8> loop(frame.total() * static_cast<std::size_t>(config_.us_frames));
    for (int f = 0; f < config_.us_frames; ++f) {
      cv::Mat moved = frame.clone();
      const int shift = f % (kRows - 80);
      if (shift > 0) frame.rowRange(70, kRows - 10 - shift).copyTo(moved.rowRange(70 + shift, kRows - 10));
      std::memcpy(loop.data() + frame.total() * static_cast<std::size_t>(f), moved.data, frame.total());
    }
    ds.putAndInsertUint8Array(DCM_PixelData, loop.data(), static_cast<unsigned long>(loop.size()));
  }

  void geometry(DcmDataset& ds, const std::string& for_uid, int slice, double spacing) {
    put(ds, DCM_FrameOfReferenceUID, for_uid);
    put(ds, DCM_Laterality, "");
    put(ds, DCM_AcquisitionNumber, "1");
    put(ds, DCM_PositionReferenceIndicator, "");
    put(ds, DCM_ImagePositionPatient, "-125\\-125\\" + std::to_string(slice * spacing));
    put(ds, DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
    put(ds, DCM_PixelSpacing, "0.488\\0.488");
    put(ds, DCM_SliceThickness, std::to_string(spacing));
  }

  json instance_entry(const fs::path& rel, int p, const std::string& modality, const std::string& sop,
                      const std::string& study, const std::string& series, const std::string& study_date,
                      const std::vector<std::string>& refs, const char* expect) {
    return {{"path", rel.string()}, {"patient", p},          {"modality", modality}, {"sop", sop},
            {"study", study},       {"series", series},      {"study_date", study_date},
            {"references", refs},   {"expect", expect}};
  }

  struct InstanceSpec {
    const char* modality;
    const char* sop_class;
    std::string study, study_date, series;
    int series_number, instance_number;
    const char* content_time;
  };

  // The attributes every instance of the archive has; returns its new SOP Instance UID.
  std::string begin_instance(DcmDataset& ds, const Patient& pt, const InstanceSpec& spec) {
    const std::string sop = new_uid();
    common(ds, pt, spec.study, spec.study_date, spec.modality);
    put(ds, DCM_SOPClassUID, spec.sop_class);
    put(ds, DCM_SOPInstanceUID, sop);
    put(ds, DCM_Modality, spec.modality);
    put(ds, DCM_SeriesInstanceUID, spec.series);
    put(ds, DCM_SeriesNumber, std::to_string(spec.series_number));
    put(ds, DCM_InstanceNumber, std::to_string(spec.instance_number));
    put(ds, DCM_SeriesDate, spec.study_date);
    put(ds, DCM_ContentDate, spec.study_date);
    put(ds, DCM_ContentTime, spec.content_time);
    return sop;
  }

  // One item per referenced CT slice in `seq` of `parent`.
  void add_ct_references(DcmItem& parent, const DcmTagKey& seq, const std::vector<std::string>& sops) {
    for (const auto& ref : sops) {
      DcmItem& item = add_item(parent, seq);
      put(item, DCM_ReferencedSOPClassUID, UID_CTImageStorage);
      put(item, DCM_ReferencedSOPInstanceUID, ref);
    }
  }

  void finish_instance(DcmFileFormat& ff, const Patient& pt, int p, const InstanceSpec& spec, const std::string& sop,
                       const fs::path& rel, const std::vector<std::string>& refs, const char* expect,
                       bool bare_dataset = false, bool preamble_text = false, E_TransferSyntax xfer = EXS_Unknown) {
    save(ff, pt, rel, bare_dataset, preamble_text, xfer);
    instances_.push_back(instance_entry(rel, p, spec.modality, sop, spec.study, spec.series, spec.study_date, refs, expect));
  }

  void make_patient(int p) {
    patients_.push_back(make_identity(p));
    const Patient& pt = patients_.back();
    const fs::path folder = std::to_string(p) + "_" + pt.family + "_" + pt.given + "_" + pt.id;
    const fs::path study_a_folder = folder / ("CT_" + pt.study_date_a);
    const std::string study_a = new_uid(), study_b = new_uid(), for_a = new_uid(), for_b = new_uid();
    const InstanceSpec ct{"CT", UID_CTImageStorage, study_a, pt.study_date_a, new_uid(), 2, 0, "101733"};
    std::vector<std::string> ct_sops;
    for (int s = 0; s < config_.slices; ++s) {
      DcmFileFormat ff;
      DcmDataset& ds = *ff.getDataset();
      InstanceSpec slice = ct;
      slice.instance_number = s + 1;
      const std::string sop = begin_instance(ds, pt, slice);
      ct_sops.push_back(sop);
      put(ds, DCM_AcquisitionDate, pt.study_date_a);
      put(ds, DCM_SeriesDescription, enc(pt, "Axial head " + pt.family));
      put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL");
      put(ds, DCM_ImageComments, enc(pt, "Operator note: " + pt.given + " " + pt.family + " MRN " + pt.id));
      put(ds, DCM_KVP, "120");
      put(ds, DCM_PatientPosition, "HFS");
      put(ds, DCM_RescaleIntercept, "0");
      put(ds, DCM_RescaleSlope, "1");
      put(ds, DCM_RescaleType, "HU");
      put(ds, DCM_WindowCenter, "40");
      put(ds, DCM_WindowWidth, "80");
      put(ds, DCM_BurnedInAnnotation, "NO");
      geometry(ds, for_a, s, 5.0);
      image_pixels(ds, config_.rows, true, s, config_.slices);
      if (s == 0) overlay_naming_patient(ds, pt);
      // Names with and without an extension, one bare dataset without File Meta, one preamble with text.
      const fs::path rel = study_a_folder / ("IM" + std::to_string(1000 + s) + (s % 2 ? ".dcm" : ""));
      finish_instance(ff, pt, p, slice, sop, rel, {}, "deidentified", p == 0 && s == 1, s == 0);
    }
    {  // A derived image (MIP) that references the slices it came from.
      DcmFileFormat ff;
      DcmDataset& ds = *ff.getDataset();
      const InstanceSpec mip{"CT", UID_CTImageStorage, study_a, pt.study_date_a, new_uid(), 3, 1, "102000"};
      const std::string sop = begin_instance(ds, pt, mip);
      put(ds, DCM_ImageType, "DERIVED\\SECONDARY\\MIP");
      put(ds, DCM_DerivationDescription, enc(pt, "MIP for " + pt.family));
      put(ds, DCM_KVP, "120");
      put(ds, DCM_PatientPosition, "HFS");
      put(ds, DCM_RescaleIntercept, "0");
      put(ds, DCM_RescaleSlope, "1");
      geometry(ds, for_a, 0, 5.0);
      image_pixels(ds, std::max(16, config_.rows / 4), true, 0, 1);
      add_ct_references(ds, DCM_SourceImageSequence, ct_sops);
      DcmItem& ref_series = add_item(ds, DCM_ReferencedSeriesSequence);
      put(ref_series, DCM_SeriesInstanceUID, ct.series);
      add_ct_references(ref_series, DCM_ReferencedInstanceSequence, ct_sops);
      finish_instance(ff, pt, p, mip, sop, study_a_folder / "MIP.dcm", ct_sops, "deidentified");
    }
    {  // A comprehensive SR whose text names the patient.
      DcmFileFormat ff;
      DcmDataset& ds = *ff.getDataset();
      const InstanceSpec sr{"SR", UID_ComprehensiveSRStorage, study_a, pt.study_date_a, new_uid(), 99, 1, "113000"};
      const std::string sop = begin_instance(ds, pt, sr);
      structured_report_content(ds, pt, study_a, ct.series, ct_sops);
      finish_instance(ff, pt, p, sr, sop, study_a_folder / "REPORT.SR", ct_sops, "deidentified");
    }
    {  // An ultrasound frame with the patient burned into its pixels: quarantined, unless
       // Clean Pixel Data blacks the text out.
      DcmFileFormat ff;
      DcmDataset& ds = *ff.getDataset();
      const InstanceSpec us{"US", UID_UltrasoundImageStorage, study_a, pt.study_date_a, new_uid(), 5, 1, "103000"};
      const std::string sop = begin_instance(ds, pt, us);
      ultrasound_pixels(ds, pt);
      finish_instance(ff, pt, p, us, sop, folder / ("US_" + pt.study_date_a) / "US0001", {}, "quarantined");
    }
    const int mr_slices = std::max(2, config_.slices / 2);
    const InstanceSpec mr{"MR", UID_MRImageStorage, study_b, pt.study_date_b, new_uid(), 1, 0, "083000"};
    for (int s = 0; s < mr_slices; ++s) {  // A later MR study: intervals between studies must survive.
      DcmFileFormat ff;
      DcmDataset& ds = *ff.getDataset();
      InstanceSpec slice = mr;
      slice.instance_number = s + 1;
      const std::string sop = begin_instance(ds, pt, slice);
      put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY\\OTHER");
      put(ds, DCM_ScanningSequence, "SE");
      put(ds, DCM_SequenceVariant, "NONE");
      put(ds, DCM_ScanOptions, "");
      put(ds, DCM_MRAcquisitionType, "2D");
      put(ds, DCM_EchoTime, "15");
      put(ds, DCM_RepetitionTime, "500");
      put(ds, DCM_EchoTrainLength, "1");
      put(ds, DCM_ProtocolName, enc(pt, "T1 brain " + pt.family));
      put(ds, DCM_PatientPosition, "HFS");
      geometry(ds, for_b, s, 4.0);
      image_pixels(ds, config_.mr_rows > 0 ? config_.mr_rows : std::max(16, config_.rows / 2), false, s, mr_slices);
      const fs::path rel = folder / ("MR_" + pt.study_date_b) / ("MR" + std::to_string(s + 1) + ".dcm");
      finish_instance(ff, pt, p, slice, sop, rel, {}, "deidentified", false, false, mr_xfer_);
    }
  }

  void overlay_naming_patient(DcmDataset& ds, const Patient& pt) {
    ds.putAndInsertUint16(DcmTagKey(0x6000, 0x0010), 8);
    ds.putAndInsertUint16(DcmTagKey(0x6000, 0x0011), 8);
    put(ds, DcmTagKey(0x6000, 0x0040), "G");
    put(ds, DcmTagKey(0x6000, 0x0050), "1\\1");
    ds.putAndInsertUint16(DcmTagKey(0x6000, 0x0100), 1);
    ds.putAndInsertUint16(DcmTagKey(0x6000, 0x0102), 0);
    const Uint8 bits[8] = {0xFF, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xFF};
    ds.putAndInsertUint8Array(DcmTagKey(0x6000, 0x3000), bits, 8);
    put(ds, DcmTagKey(0x6000, 0x4000), enc(pt, "Marked by " + pt.family));
  }

  void structured_report_content(DcmDataset& ds, const Patient& pt, const std::string& study,
                                 const std::string& ct_series, const std::vector<std::string>& ct_sops) {
    put(ds, DCM_ValueType, "CONTAINER");
    put(ds, DCM_ContinuityOfContent, "SEPARATE");
    put(ds, DCM_CompletionFlag, "COMPLETE");
    put(ds, DCM_VerificationFlag, "VERIFIED");
    ds.insertEmptyElement(DCM_PerformedProcedureCodeSequence);
    ds.insertEmptyElement(DCM_ReferencedPerformedProcedureStepSequence);
    put_code(add_item(ds, DCM_ConceptNameCodeSequence), "18748-4", "LN", "Diagnostic imaging report");
    DcmItem& verifier = add_item(ds, DCM_VerifyingObserverSequence);
    put(verifier, DCM_VerifyingObserverName, pt.referring);
    put(verifier, DCM_VerifyingOrganization, pt.institution);
    put(verifier, DCM_VerificationDateTime, pt.study_date_a + "120000");
    verifier.insertEmptyElement(DCM_VerifyingObserverIdentificationCodeSequence);
    DcmItem& text = add_item(ds, DCM_ContentSequence);
    put(text, DCM_RelationshipType, "CONTAINS");
    put(text, DCM_ValueType, "TEXT");
    put_code(add_item(text, DCM_ConceptNameCodeSequence), "121071", "DCM", "Finding");
    put(text, DCM_TextValue,
        enc(pt, "Patient " + pt.given + " " + pt.family + " (" + pt.id + "), accession " + pt.accession +
                    ": no acute intracranial findings. Compared with the study of " + pt.study_date_b + "."));
    DcmItem& person = add_item(ds, DCM_ContentSequence);
    put(person, DCM_RelationshipType, "HAS OBS CONTEXT");
    put(person, DCM_ValueType, "PNAME");
    put_code(add_item(person, DCM_ConceptNameCodeSequence), "121008", "DCM", "Person Observer Name");
    put(person, DCM_PersonName, pt.referring);
    DcmItem& image = add_item(ds, DCM_ContentSequence);
    put(image, DCM_RelationshipType, "CONTAINS");
    put(image, DCM_ValueType, "IMAGE");
    put_code(add_item(image, DCM_ConceptNameCodeSequence), "121112", "DCM", "Source of Measurement");
    add_ct_references(image, DCM_ReferencedSOPSequence, {ct_sops.front()});
    DcmItem& evidence = add_item(ds, DCM_CurrentRequestedProcedureEvidenceSequence);
    put(evidence, DCM_StudyInstanceUID, study);
    DcmItem& ev_series = add_item(evidence, DCM_ReferencedSeriesSequence);
    put(ev_series, DCM_SeriesInstanceUID, ct_series);
    add_ct_references(ev_series, DCM_ReferencedSOPSequence, ct_sops);
  }

  void write_text_file(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

  static E_TransferSyntax transfer_syntax_named(const std::string& name) {
    if (name == "explicit") return EXS_LittleEndianExplicit;
    if (name == "implicit") return EXS_LittleEndianImplicit;
    if (name == "big-endian") return EXS_BigEndianExplicit;
    if (name == "deflated") return EXS_DeflatedLittleEndianExplicit;
    if (name == "jpeg-ls") return EXS_JPEGLSLossless;
    throw std::invalid_argument("unknown transfer syntax '" + name + "' (explicit, implicit, big-endian, deflated, jpeg-ls)");
  }

  const SynthConfig& config_;
  std::vector<E_TransferSyntax> syntaxes_;
  E_TransferSyntax mr_xfer_ = EXS_Unknown;  // EXS_Unknown: the patient's own
  std::mt19937_64 rng_;
  std::vector<Patient> patients_;
  std::vector<std::string> original_uids_;
  Planted planted_;
  json instances_ = json::array();
  SynthSummary summary_;
};

}  // namespace

SynthSummary synthesize_archive(const SynthConfig& config) {
  if (config.patients < 1 || config.slices < 1 || config.rows < 16 || (config.mr_rows != 0 && config.mr_rows < 16))
    throw std::invalid_argument("synth needs at least 1 patient, 1 slice and 16 rows");
  return Generator(config).run();
}

}  // namespace radveil::synth
