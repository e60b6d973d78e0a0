// Consent import: every resource is taken whole or refused with its position, id and reason.
#include <gtest/gtest.h>

#include "consent/consent_import.h"
#include "support/consent_from_server.h"

namespace radveil::consent {
namespace {

const std::string kGood = R"({"resourceType":"Consent","id":"ok","status":"active",
  "patient":{"identifier":{"value":"MRN1"}},"policyRule":{"text":"opt-out"},"provision":{"type":"deny"}})";

// kGood with one member replaced (or removed, when `value` is empty).
std::string with(const std::string& member, const std::string& value) {
  nlohmann::json j = nlohmann::json::parse(kGood);
  if (value.empty()) j.erase(member);
  else j[member] = nlohmann::json::parse(value);
  return j.dump();
}

std::string reason_for(const std::string& resource) {
  const ParsedConsents p = from_test_server(resource);
  EXPECT_TRUE(p.consents.empty());
  return p.refused.empty() ? "" : p.refused.front().reason;
}

}  // namespace

TEST(ConsentImport, TakesOneResourceAnArrayOrABundle) {
  EXPECT_EQ(from_test_server(kGood).consents.size(), 1u);
  EXPECT_EQ(from_test_server("[" + kGood + "," + kGood + "]").consents.size(), 2u);
  const auto bundle = from_test_server(R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":)" + kGood +
                                          "},{\"resource\":" + with("status", "\"maybe\"") + "}]}");
  EXPECT_EQ(bundle.consents.size(), 1u);
  ASSERT_EQ(bundle.refused.size(), 1u);
  EXPECT_EQ(bundle.refused.front().position, 2u);
  EXPECT_EQ(bundle.refused.front().id, "ok");
  EXPECT_EQ(bundle.refused.front().reason, "unknown status");
}

TEST(ConsentImport, RefusesWhatItCannotEvaluateAndSaysWhy) {
  EXPECT_EQ(reason_for("{not json"), "the file is not valid JSON");
  EXPECT_EQ(reason_for("[42]"), "not a JSON object");
  EXPECT_EQ(reason_for(with("resourceType", "\"Patient\"")), "resourceType is not Consent");
  EXPECT_NE(reason_for(with("id", "")).find("no identity"), std::string::npos);
  EXPECT_NE(reason_for(with("id", "\"../etc\"")).find("not a FHIR id"), std::string::npos);
  EXPECT_EQ(reason_for(with("status", "")), "no status");
  EXPECT_EQ(reason_for(with("status", "\"maybe\"")), "unknown status");
  EXPECT_EQ(reason_for(with("patient", "")), "no patient");
  EXPECT_NE(reason_for(with("patient", R"({"reference":"Patient/1"})")).find("no identifier"), std::string::npos);
  {
    nlohmann::json no_base = nlohmann::json::parse(with("policyRule", ""));
    no_base["provision"] = nlohmann::json::object();
    EXPECT_EQ(reason_for(no_base.dump()), "ppc-1: neither policy nor policyRule is given");
  }
  EXPECT_NE(reason_for(with("provision", R"({"purpose":[{"code":"HRESCH"}]})")).find("no type"), std::string::npos);
  EXPECT_NE(reason_for(with("provision", R"({"type":"maybe"})")).find("neither permit nor deny"), std::string::npos);
  EXPECT_NE(reason_for(with("dateTime", "\"yesterday\"")).find("dateTime"), std::string::npos);
  EXPECT_NE(reason_for(with("provision", R"({"type":"deny","period":{"start":"2025","end":"2024"}})")).find("ends before"),
            std::string::npos);
  // An actor radveil cannot identify is kept as such (it denies every recipient, permits none).
  const auto unidentified = from_test_server(
      with("provision", R"({"type":"deny","provision":[{"type":"permit","actor":[{"reference":{"reference":"Organization/7"}}]}]})"));
  ASSERT_EQ(unidentified.consents.size(), 1u);
  EXPECT_TRUE(unidentified.consents[0].root.provisions.at(0).unidentified_recipient);
}

TEST(ConsentImport, AResearchConsentWithoutAPatientBreaksPpc3) {
  nlohmann::json j = nlohmann::json::parse(with("patient", ""));
  j["scope"] = {{"coding", {{{"system", "http://terminology.hl7.org/CodeSystem/consentscope"}, {"code", "research"}}}}};
  EXPECT_EQ(reason_for(j.dump()), "ppc-3: a research consent must name the patient");
}

TEST(ConsentImport, ProvisionsNestedBeyondReasonAreRefusedNotFollowed) {
  std::string provision = R"({"type":"deny"})";
  for (int i = 0; i < 40; ++i) provision = R"({"type":"permit","provision":[)" + provision + "]}";
  EXPECT_NE(reason_for(with("provision", provision)).find("nested"), std::string::npos);
}

TEST(ConsentImport, JsonNestedDeeperThanAnyConsentIsRefusedWithoutBeingRead) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  nlohmann::json j = nlohmann::json::parse(kGood);
  std::string resource = j.dump();
  resource.insert(resource.size() - 1, ",\"extension\":" + deep);
  for (const std::string& text : {deep, resource}) {
    const ParsedConsents p = from_test_server(text);
    EXPECT_TRUE(p.consents.empty());
    ASSERT_EQ(p.refused.size(), 1u);
    EXPECT_EQ(p.refused.front().position, 0u);
    EXPECT_NE(p.refused.front().reason.find("nested more than"), std::string::npos);
  }
}

TEST(ConsentImport, AVersionIsTheResourcesVersionIdOrItsContent) {
  const Consent a = from_test_server(with("meta", R"({"versionId":"7"})")).consents.at(0);
  EXPECT_EQ(a.version, "7");
  const Consent b = from_test_server(kGood).consents.at(0), c = from_test_server(kGood).consents.at(0);
  EXPECT_EQ(b.version, c.version);
  EXPECT_NE(b.version, from_test_server(with("dateTime", "\"2025-01-01\"")).consents.at(0).version);
}

TEST(ConsentImport, ReadsCsvRowsAndRefusesBadOnesByRow) {
  const ParsedConsents p = parse_csv_consents(
      "recorded_at,patient_id,issuer,purpose,recipient,decision,from,to\r\n"
      "2025-01-01,MRN1,,HRESCH,,deny,,\r\n"
      "2025-01-01,\"MRN,2\",PPTH,*,lab-a,permit,2024-01-01,2030\r\n"
      "2025-01-01,MRN3,,HRESCH,,perhaps,,\r\n"
      "\r\n"
      ",MRN4,,HRESCH,,deny,,\r\n");
  ASSERT_EQ(p.consents.size(), 2u);
  EXPECT_EQ(p.consents[1].patient.value, "MRN,2");
  EXPECT_TRUE(p.consents[1].root.purposes.empty());
  EXPECT_EQ(p.consents[1].root.actors, std::vector<std::string>{"lab-a"});
  ASSERT_EQ(p.refused.size(), 2u);
  EXPECT_EQ(p.refused[0].position, 4u);
  EXPECT_EQ(p.refused[1].position, 6u);
  EXPECT_NE(p.refused[1].reason.find("recorded_at"), std::string::npos);
  EXPECT_EQ(parse_csv_consents("patient_id,decision\nMRN1,deny\n").refused.at(0).reason,
            "the header lacks the column issuer");
}

TEST(ConsentImport, TheSameCsvRowIsTheSameConsentVersion) {
  const std::string header = "patient_id,issuer,purpose,recipient,decision,from,to,recorded_at\n";
  const Consent a = parse_csv_consents(header + "MRN1,,HRESCH,,deny,,,2025-01-01\n").consents.at(0);
  const Consent b = parse_csv_consents(header + "MRN1,,HRESCH,,deny,,,2025-01-01\n").consents.at(0);
  const Consent c = parse_csv_consents(header + "MRN1,,HRESCH,,permit,,,2025-01-01\n").consents.at(0);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.id, c.id);  // the same decision event, corrected
  EXPECT_NE(a.version, c.version);
}

TEST(FhirTime, ADateOfAnyPrecisionIsTheRangeItNames) {
  const auto year = parse_fhir_time("2024");
  ASSERT_TRUE(year);
  EXPECT_EQ(format_utc(year->first), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(year->last), "2024-12-31T23:59:59Z");
  EXPECT_EQ(format_utc(parse_fhir_time("2024-02")->last), "2024-02-29T23:59:59Z");
  EXPECT_EQ(format_utc(parse_fhir_time("2024-03-05T10:00:00+02:00")->first), "2024-03-05T08:00:00Z");
  EXPECT_EQ(format_utc(parse_fhir_time("2024-03-05T10:00:00.123Z")->first), "2024-03-05T10:00:00Z");
  for (const char* bad : {"", "24", "2024-13", "2023-02-29", "2024-03-05T10:00", "2024-03-05T10:00:00", "2024/03/05",
                          "2024-03-05T25:00:00Z", "2024-03-05T10:00:00+02"})
    EXPECT_FALSE(parse_fhir_time(bad)) << bad;
  EXPECT_EQ(format_utc(parse_dicom_date("19991231")->last), "1999-12-31T23:59:59Z");
  EXPECT_FALSE(parse_dicom_date("1999-12-31"));
  EXPECT_FALSE(parse_dicom_date("19990231"));
}

}  // namespace radveil::consent
