#pragma once
// Consents in tests come from one FHIR server, as a site's would: its base URL with each
// resource's id is the consent's identity (radveil never identifies a consent by its id alone).
#include "consent/consent_import.h"

namespace radveil::consent {

inline constexpr const char* kTestServer = "https://ehr.test/fhir";

inline ParsedConsents from_test_server(std::string_view json_text) {
  return parse_fhir_consents(json_text, ImportContext{kTestServer, nullptr});
}

}  // namespace radveil::consent
