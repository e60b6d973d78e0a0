#pragma once
// What one instance carries from stage to stage (read -> decide -> de-identify -> verify ->
// write): each stage reads what earlier stages found and adds its own, so no stage reaches back
// into another and nothing is gathered twice.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "consent/consent.h"
#include "deid/header_deidentifier.h"
#include "deid/identifying_values.h"
#include "dicom/instance_file.h"
#include "pipeline/input_signature.h"
#include "pipeline/pixel_stage.h"

namespace radveil::pipeline {

struct InstanceContext {
  InstanceContext(std::filesystem::path in, InputSignature sig, dicom::LoadedInstance instance)
      : input(std::move(in)), signature(sig), loaded(std::move(instance)) {}

  // read
  std::filesystem::path input;
  InputSignature signature;
  dicom::LoadedInstance loaded;
  consent::Identifier patient;          // Patient ID and Issuer of Patient ID
  std::string study_uid, modality;      // the original Study Instance UID and the Modality
  std::string sop_class_uid;            // SOP Class UID (else the File Meta's), for the audit messages
  deid::IdentifyingValues identifying;  // gathered once from the original: pixels, header, verify
  // decide (exports only)
  std::optional<std::string> withheld;  // why the export withholds it
  // de-identify
  std::vector<std::pair<std::string, std::string>> method_codes;  // CID 7050 (value, meaning) to record
  PixelCleaningSummary pixels;
  deid::DeidResult header;
  // write
  std::filesystem::path relative;  // the pseudonymous path under OUT
  std::filesystem::path staged;
  std::vector<std::string> method_codes_written;  // (0012,0064) as written
};

}  // namespace radveil::pipeline
