// The consent decision, case by case, as a privacy officer would state it. Consents are written
// as the FHIR resources (or CSV rows) a hospital would send; the engine gets the time and the
// study date as inputs, never from a clock.
#include <gtest/gtest.h>

#include "consent/consent_import.h"
#include "support/consent_from_server.h"
#include "consent/decision_engine.h"

namespace radveil::consent {
namespace {

const Policy kPolicy = default_policy();
const std::int64_t kNow = parse_fhir_time("2026-06-01T12:00:00Z")->first;

// An R4 Consent about patient MRN1 with the given provision and dateTime.
std::string r4(const std::string& id, const std::string& provision, const std::string& date_time = "2025-01-01",
               const std::string& extra = "") {
  return R"({"resourceType":"Consent","id":")" + id + R"(","status":"active",)" + extra +
         R"("patient":{"identifier":{"system":"urn:oid:1.2.3","value":"MRN1"}},"dateTime":")" + date_time +
         R"(","policyRule":{"text":"the site's consent form"},"provision":)" + provision + "}";
}

std::vector<Consent> parsed(const std::vector<std::string>& resources) {
  std::string array = "[";
  for (std::size_t i = 0; i < resources.size(); ++i) array += (i ? "," : "") + resources[i];
  const ParsedConsents p = from_test_server(array + "]");
  EXPECT_TRUE(p.refused.empty()) << (p.refused.empty() ? "" : p.refused.front().reason);
  return p.consents;
}

Verdict ask(const std::vector<Consent>& consents, const std::string& purpose, const std::string& recipient = "lab-a",
            const std::string& study_date = "20200505", const std::string& issuer = "1.2.3") {
  return decide(consents, kPolicy, {{issuer, "MRN1"}, purpose, recipient, kNow, parse_dicom_date(study_date)});
}

constexpr const char* kDenyResearch = R"({"type":"deny","purpose":[{"code":"HRESCH"}]})";
constexpr const char* kPermitResearch = R"({"type":"permit","purpose":[{"code":"HRESCH"}]})";

}  // namespace

TEST(ConsentDecision, AnOptOutOfResearchWithholdsResearchAndAiTraining) {
  const auto consents = parsed({r4("opt-out", kDenyResearch)});
  const Verdict research = ask(consents, "HRESCH");
  EXPECT_EQ(research.decision, Decision::Deny);
  EXPECT_EQ(research.reason, "withheld-opted-out");
  EXPECT_EQ(research.purposes.front().consent_id, "opt-out");
  EXPECT_EQ(ask(consents, "AITRAIN").reason, "withheld-opted-out");  // AI training implies research
}

TEST(ConsentDecision, ResearchPermittedDoesNotPermitCommercialAiTraining) {
  const auto consents =
      parsed({r4("yes", R"({"type":"permit","purpose":[{"code":"HRESCH"},{"code":"AITRAIN"}]})")});
  EXPECT_EQ(ask(consents, "HRESCH").decision, Decision::Permit);
  EXPECT_EQ(ask(consents, "AITRAIN").decision, Decision::Permit);
  const Verdict commercial = ask(consents, "COMMAI");  // needs COMMDEV too, which nobody allowed
  EXPECT_EQ(commercial.decision, Decision::Deny);
  EXPECT_EQ(commercial.reason, "withheld-no-consent");
  const auto refused = parsed({r4("yes", R"({"type":"permit","purpose":[{"code":"HRESCH"},{"code":"AITRAIN"}]})"),
                               r4("no-commerce", R"({"type":"deny","purpose":[{"code":"COMMDEV"}]})", "2025-02-01")});
  EXPECT_EQ(ask(refused, "COMMAI").reason, "withheld-opted-out");
}

TEST(ConsentDecision, ADenyForOneRecipientLeavesTheOthersPermitted) {
  const auto consents = parsed({r4(
      "not-ai-co",
      R"({"type":"permit","provision":[{"type":"deny","actor":[{"reference":{"identifier":{"system":"urn:radveil:recipient","value":"ai-co"}}}]}]})")});
  EXPECT_EQ(ask(consents, "HRESCH", "lab-a").decision, Decision::Permit);
  const Verdict ai = ask(consents, "HRESCH", "ai-co");
  EXPECT_EQ(ai.decision, Decision::Deny);
  EXPECT_EQ(ai.purposes.front().provision, "provision.provision[0]");
}

TEST(ConsentDecision, AnExpiredConsentIsSetAsideAndThePolicyDecides) {
  const auto consents = parsed({r4("old", R"({"type":"deny","period":{"end":"2025-12-31"},"purpose":[{"code":"HRESCH"}]})")});
  const Verdict v = ask(consents, "HRESCH");
  EXPECT_EQ(v.decision, Decision::Permit);  // research's default
  EXPECT_FALSE(v.purposes.front().by_consent);
  ASSERT_FALSE(v.set_aside.empty());
  EXPECT_NE(v.set_aside.front().why.find("expired"), std::string::npos);
}

TEST(ConsentDecision, AConsentNotYetInForceIsSetAside) {
  const auto consents = parsed({r4("future", R"({"type":"deny","period":{"start":"2027"},"purpose":[{"code":"HRESCH"}]})")});
  const Verdict v = ask(consents, "HRESCH");
  EXPECT_EQ(v.decision, Decision::Permit);
  EXPECT_NE(v.set_aside.front().why.find("not in force until 2027-01-01"), std::string::npos);
}

TEST(ConsentDecision, ThePatientsLatestConsentWinsWhateverTheOrderOfImport) {
  const std::string early_no = r4("early-no", kDenyResearch, "2024-01-01");
  const std::string late_yes = r4("late-yes", kPermitResearch, "2025-06-01T10:00:00+02:00");
  for (const auto& order : {std::vector{early_no, late_yes}, std::vector{late_yes, early_no}}) {
    const Verdict v = ask(parsed(order), "HRESCH");
    EXPECT_EQ(v.decision, Decision::Permit);
    EXPECT_EQ(v.purposes.front().consent_id, "late-yes");
  }
  const std::string early_yes = r4("early-yes", kPermitResearch, "2024-01-01");
  const std::string late_no = r4("late-no", kDenyResearch, "2025-06-01");
  for (const auto& order : {std::vector{early_yes, late_no}, std::vector{late_no, early_yes}})
    EXPECT_EQ(ask(parsed(order), "HRESCH").purposes.front().consent_id, "late-no");
}

TEST(ConsentDecision, NestedProvisionsAreExceptionsToTheirParent) {
  // Base deny, research permitted.
  const auto only_research = parsed({r4("r", R"({"type":"deny","provision":[{"type":"permit","purpose":[{"code":"HRESCH"}]}]})")});
  EXPECT_EQ(ask(only_research, "HRESCH").decision, Decision::Permit);
  EXPECT_EQ(ask(only_research, "HMARKT").decision, Decision::Deny);
  EXPECT_EQ(ask(only_research, "HMARKT").reason, "withheld-opted-out");
  // An exception's exception: research permitted, except for one recipient.
  const auto deeper = parsed({r4("d", R"({"type":"deny","provision":[{"type":"permit","purpose":[{"code":"HRESCH"}],
      "provision":[{"type":"deny","actor":[{"reference":{"identifier":{"value":"ai-co"}}}]}]}]})")});
  EXPECT_EQ(ask(deeper, "HRESCH", "lab-a").decision, Decision::Permit);
  EXPECT_EQ(ask(deeper, "HRESCH", "ai-co").decision, Decision::Deny);
  EXPECT_EQ(ask(deeper, "HRESCH", "ai-co").purposes.front().provision, "provision.provision[0].provision[0]");
}

TEST(ConsentDecision, ADataPeriodLimitsARuleToStudiesOfThoseDates) {
  const auto consents = parsed({r4("recent-only", R"({"type":"permit","provision":[{"type":"deny","dataPeriod":{"end":"2015-12-31"}}]})")});
  EXPECT_EQ(ask(consents, "HRESCH", "lab-a", "20100101").decision, Decision::Deny);
  EXPECT_EQ(ask(consents, "HRESCH", "lab-a", "20200101").decision, Decision::Permit);
  // A permit limited to some dates is not applied to a study whose date is unknown.
  const auto permit_recent = parsed({r4("p", R"({"type":"deny","provision":[{"type":"permit","dataPeriod":{"start":"2018"}}]})")});
  EXPECT_EQ(ask(permit_recent, "HRESCH", "lab-a", "20200101").decision, Decision::Permit);
  EXPECT_EQ(ask(permit_recent, "HRESCH", "lab-a", "").decision, Decision::Deny);
}

TEST(ConsentDecision, AnOptOutCountsEvenWhenItsIdentifierSystemCannotBeReconciledButAPermitDoesNot) {
  const auto opt_out = parsed({r4("opt-out", kDenyResearch)});
  EXPECT_EQ(ask(opt_out, "HRESCH", "lab-a", "20200505", "1.2.3").decision, Decision::Deny);  // urn:oid: aside
  EXPECT_EQ(ask(opt_out, "HRESCH", "lab-a", "20200505", "").decision, Decision::Deny);       // no issuer: by ID
  // A URI system and a local DICOM issuer name: the opt-out still applies (fail closed).
  const Verdict other = ask(opt_out, "HRESCH", "lab-a", "20200505", "OTHER_HOSPITAL");
  EXPECT_EQ(other.decision, Decision::Deny);
  EXPECT_EQ(other.reason, "withheld-opted-out");
  // A permit under an unreconciled system does not count: the policy's default decides.
  const auto yes = parsed({r4("yes", R"({"type":"permit","purpose":[{"code":"AITRAIN"},{"code":"HRESCH"}]})")});
  EXPECT_EQ(ask(yes, "AITRAIN", "lab-a", "20200505", "1.2.3").decision, Decision::Permit);
  const Verdict unreconciled = ask(yes, "AITRAIN", "lab-a", "20200505", "OTHER_HOSPITAL");
  EXPECT_EQ(unreconciled.decision, Decision::Deny);
  EXPECT_EQ(unreconciled.reason, "withheld-no-consent");
  EXPECT_NE(unreconciled.set_aside.front().why.find("not reconciled"), std::string::npos);
}

TEST(ConsentDecision, ThePolicyMapsAnIdentifierSystemToTheDicomIssuer) {
  const auto yes = parsed({R"({"resourceType":"Consent","id":"uri","status":"active","dateTime":"2025-01-01",
    "patient":{"identifier":{"system":"http://hospital.example.org/mrn","value":"MRN1"}},
    "policyRule":{"coding":[{"code":"OPTIN"}]},"provision":{"type":"permit"}})"});
  const Query q{{"HOSP_MRN", "MRN1"}, "AITRAIN", "lab-a", kNow, std::nullopt};
  EXPECT_EQ(decide(yes, kPolicy, q).decision, Decision::Deny);  // unmapped: the permit does not count
  Policy mapped = kPolicy;
  mapped.issuers["http://hospital.example.org/mrn"] = "HOSP_MRN";
  EXPECT_EQ(decide(yes, mapped, q).decision, Decision::Permit);
}

TEST(ConsentDecision, OnlyActiveConsentsCount) {
  for (const char* status : {"inactive", "entered-in-error", "rejected", "draft", "proposed"}) {
    std::string resource = r4("s", kDenyResearch);
    resource.replace(resource.find("\"active\""), 8, std::string("\"") + status + "\"");
    const Verdict v = ask(parsed({resource}), "HRESCH");
    EXPECT_EQ(v.decision, Decision::Permit) << status;
    EXPECT_EQ(v.set_aside.front().why, std::string("its status is ") + status);
  }
}

TEST(ConsentDecision, WithoutAConsentThePolicyDefaultDecidesEachPurpose) {
  EXPECT_EQ(ask({}, "HRESCH").decision, Decision::Permit);
  for (const char* purpose : {"AITRAIN", "COMMDEV", "COMMAI", "HMARKT", "SOMETHING"}) {
    const Verdict v = ask({}, purpose);
    EXPECT_EQ(v.decision, Decision::Deny) << purpose;
    EXPECT_EQ(v.reason, "withheld-no-consent") << purpose;
  }
}

TEST(ConsentDecision, ThePolicyFileSetsDefaultsAndImplications) {
  const Policy permissive = parse_policy(R"([defaults]
AITRAIN = "permit"
otherwise = "permit"
[implies]
AITRAIN = []
)", "test");
  EXPECT_EQ(decide({}, permissive, {{"", "MRN1"}, "AITRAIN", "lab-a", kNow, std::nullopt}).decision, Decision::Permit);
  EXPECT_THROW(parse_policy("[defaults]\nHRESCH = \"maybe\"\n", "bad"), PolicyError);
  EXPECT_THROW(parse_policy("[default]\n", "bad"), PolicyError);
  EXPECT_THROW(parse_policy("[defaults\n", "bad"), PolicyError);
}

TEST(ConsentDecision, AnR5ConsentDecidesAsTheSameR4OneDoes) {
  const std::string r5 = R"({"resourceType":"Consent","id":"five","status":"active",
    "subject":{"identifier":{"system":"urn:oid:1.2.3","value":"MRN1"}},"date":"2025-01-01","dateTime":"2025-01-01",
    "period":{"start":"2024-01-01","end":"2030-12-31"},"decision":"deny",
    "provision":[{"purpose":[{"code":"HRESCH"}],"actor":[{"reference":{"identifier":{"value":"lab-a"}}}]}]})";
  const auto consents = parsed({r5});
  EXPECT_EQ(consents.front().shape, "FHIR R5");
  EXPECT_EQ(ask(consents, "HRESCH", "lab-a").decision, Decision::Permit);  // the exception permits
  EXPECT_EQ(ask(consents, "HRESCH", "ai-co").decision, Decision::Deny);
  EXPECT_EQ(ask(consents, "HRESCH", "lab-a").purposes.front().provision, "provision[0]");
}

TEST(ConsentDecision, CsvRowsAndFhirResourcesGiveTheSameDecisions) {
  const auto fhir = parsed({r4("a", R"({"type":"deny","purpose":[{"code":"HRESCH"}]})", "2024-01-01"),
                            r4("b", R"({"type":"permit","purpose":[{"code":"AITRAIN"}],"actor":[{"reference":{"identifier":{"value":"ai-co"}}}]})",
                               "2024-02-01"),
                            r4("c", R"({"type":"permit","purpose":[{"code":"HRESCH"}]})", "2025-01-01",
                               R"("scope":{"text":"x"},)")});
  const ParsedConsents csv = parse_csv_consents(
      "patient_id,issuer,purpose,recipient,decision,from,to,recorded_at\n"
      "MRN1,urn:oid:1.2.3,HRESCH,,deny,,,2024-01-01\n"
      "MRN1,urn:oid:1.2.3,AITRAIN,ai-co,permit,,,2024-02-01\n"
      "MRN1,urn:oid:1.2.3,HRESCH,*,permit,,,2025-01-01\n");
  ASSERT_TRUE(csv.refused.empty());
  for (const auto& consents_at : {std::vector<std::string>{"2024-06-01"}, std::vector<std::string>{"2026-01-01"}}) {
    const std::int64_t at = parse_fhir_time(consents_at.front())->first;
    for (const char* purpose : {"HRESCH", "AITRAIN", "COMMAI", "HMARKT"})
      for (const char* recipient : {"lab-a", "ai-co"}) {
        const Query q{{"1.2.3", "MRN1"}, purpose, recipient, at, parse_dicom_date("20200101")};
        const Verdict a = decide(fhir, kPolicy, q), b = decide(csv.consents, kPolicy, q);
        EXPECT_EQ(a.decision, b.decision) << purpose << " " << recipient;
        EXPECT_EQ(a.reason, b.reason) << purpose << " " << recipient;
      }
  }
}

TEST(ConsentDecision, AnotherPatientsConsentNeverCounts) {
  const auto consents = parsed({r4("opt-out", kDenyResearch)});
  const Verdict v = decide(consents, kPolicy, {{"", "MRN2"}, "HRESCH", "lab-a", kNow, std::nullopt});
  EXPECT_EQ(v.decision, Decision::Permit);
  EXPECT_TRUE(v.set_aside.empty());
}

}  // namespace radveil::consent

namespace radveil::consent {

// docs/consent-and-export.md's worked example, as stated there.
TEST(ConsentDecision, TheDocumentedWorkedExampleHolds) {
  const auto consents = parsed({r4("c1", kDenyResearch, "2024-01-10"),
                                r4("c2", R"({"type":"permit","provision":[{"type":"deny","actor":[{"reference":{"identifier":{"value":"ai-co"}}}]}]})",
                                   "2025-05-02")});
  const Verdict lab = ask(consents, "HRESCH", "lab-a");
  EXPECT_EQ(lab.reason, "permitted");
  EXPECT_EQ(lab.purposes.front().consent_id, "c2");
  EXPECT_EQ(ask(consents, "HRESCH", "ai-co").reason, "withheld-opted-out");
  EXPECT_EQ(ask(consents, "HRESCH", "ai-co").purposes.front().provision, "provision.provision[0]");
  EXPECT_EQ(ask(consents, "AITRAIN", "lab-a").reason, "permitted");
  const auto research_only = parsed({r4("c1", kDenyResearch, "2024-01-10"),
                                     r4("c2", R"({"type":"permit","purpose":[{"code":"HRESCH"}]})", "2025-05-02")});
  EXPECT_EQ(ask(research_only, "AITRAIN", "lab-a").reason, "withheld-no-consent");
  EXPECT_EQ(ask(consents, "COMMAI", "lab-a").reason, "permitted");  // c2 names no purpose: every purpose
  EXPECT_EQ(ask(research_only, "COMMAI", "lab-a").reason, "withheld-no-consent");
}

}  // namespace radveil::consent
