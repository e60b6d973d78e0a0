// Consents in the shapes real servers publish (written here, in the shapes of the HL7 R4/R5
// examples, LEAP's fixtures, the MII broad consent and the NHS National Data Opt-out): read as the
// specification defines them, and never an opt-out lost.
#include <gtest/gtest.h>

#include <random>

#include "consent/consent_import.h"
#include "consent/decision_engine.h"
#include "store/state_store.h"
#include "support/consent_from_server.h"
#include "support/test_support.h"

namespace radveil::consent {
namespace {

constexpr std::int64_t kNow = 1780000000;  // 2026-05-28
const Policy kPolicy = default_policy();

Verdict ask(const std::vector<Consent>& consents, const std::string& purpose, const std::string& recipient = "lab-a",
            const Identifier& patient = {"http://hospital.test/mrn", "MRN1"}) {
  Policy policy = kPolicy;
  policy.issuers["http://hospital.test/mrn"] = "http://hospital.test/mrn";
  return decide(consents, policy, {patient, purpose, recipient, kNow, std::nullopt});
}

ParsedConsents read(const std::string& text, const PatientDirectory* known = nullptr) {
  return parse_fhir_consents(text, ImportContext{"https://ehr.test/fhir", known});
}

const std::string kPatientEntry = R"({"fullUrl":"https://ehr.test/fhir/Patient/f001","resource":{"resourceType":"Patient",
  "id":"f001","identifier":[{"system":"http://hospital.test/mrn","value":"MRN1"}]}})";

}  // namespace

TEST(ConsentShapes, AnR4ConsentWithoutARootTypeTakesItsBaseFromPolicyRule) {
  // The HL7 R4 examples: the patient by literal reference, the Patient in the same Bundle.
  const std::string bundle = R"({"resourceType":"Bundle","type":"collection","entry":[)" + kPatientEntry +
                             R"(,{"fullUrl":"https://ehr.test/fhir/Consent/out","resource":{"resourceType":"Consent","id":"out",
    "status":"active","scope":{"coding":[{"code":"patient-privacy"}]},"patient":{"reference":"Patient/f001"},
    "dateTime":"2025-01-01","policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTOUT"}]},
    "provision":{"actor":[{"role":{"coding":[{"code":"CST"}]},"reference":{"reference":"Organization/f001"}}]}}}]})";
  const ParsedConsents p = read(bundle);
  ASSERT_TRUE(p.refused.empty()) << p.refused.front().reason;
  ASSERT_EQ(p.consents.size(), 1u);
  EXPECT_EQ(p.other_resources, 1u);
  EXPECT_EQ(p.consents[0].patient.value, "MRN1");
  EXPECT_EQ(p.consents[0].identity, "https://ehr.test/fhir/Consent/out");
  // OPTOUT with the custodian named: withheld from every recipient (the custodian is not one).
  EXPECT_EQ(ask(p.consents, "HRESCH").reason, "withheld-opted-out");
}

TEST(ConsentShapes, AnR4RootWithConditionsIsAnExceptionToThePolicyRulesBase) {
  const std::string head = R"({"resourceType":"Consent","id":"c","status":"active","dateTime":"2025-01-01",
    "scope":{"coding":[{"code":"patient-privacy"}]},"patient":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},)";
  // OPTIN, the root names one recipient (HL7's notThem): withheld from it, permitted to the others.
  const auto not_them = read(head + R"("policyRule":{"coding":[{"code":"OPTIN"}]},
    "provision":{"actor":[{"role":{"coding":[{"code":"PRCP"}]},"reference":{"identifier":{"value":"ai-co"}}}]}})");
  ASSERT_EQ(not_them.consents.size(), 1u);
  EXPECT_EQ(ask(not_them.consents, "AITRAIN", "ai-co").decision, Decision::Deny);
  EXPECT_EQ(ask(not_them.consents, "AITRAIN", "lab-a").decision, Decision::Permit);
  // OPTOUT, the root permits emergency treatment (HL7's Emergency): research stays withheld.
  const auto emergency = read(head + R"("policyRule":{"coding":[{"code":"OPTOUT"}]},
    "provision":{"purpose":[{"code":"ETREAT"}]}})");
  EXPECT_EQ(ask(emergency.consents, "HRESCH").reason, "withheld-opted-out");
  // OPTIN with only a period on the root (HL7's basic): the consent's term, no exception.
  const auto basic = read(head + R"("policyRule":{"coding":[{"code":"OPTIN"}]},"provision":{"period":{"start":"2020-01-01"}}})");
  EXPECT_EQ(ask(basic.consents, "AITRAIN").reason, "permitted");
  // OPTIN with a root typed deny (HL7's notOrg, against R4's definition): still an exception.
  const auto not_org = read(head + R"("policyRule":{"coding":[{"code":"OPTIN"}]},
    "provision":{"type":"deny","actor":[{"role":{"coding":[{"code":"PRCP"}]},"reference":{"identifier":{"value":"ai-co"}}}]}})");
  EXPECT_EQ(ask(not_org.consents, "AITRAIN", "ai-co").decision, Decision::Deny);
  EXPECT_EQ(ask(not_org.consents, "AITRAIN", "lab-a").decision, Decision::Permit);
}

TEST(ConsentShapes, AnUnresolvableLiteralPatientIsRefusedByNameAndAPatientMapResolvesIt) {
  const std::string consent = R"({"resourceType":"Consent","id":"c","status":"active","scope":{"coding":[{"code":"research"}]},
    "patient":{"reference":"Patient/52"},"policyRule":{"coding":[{"code":"OPTOUT"}]}})";
  const ParsedConsents refused = read(consent);
  ASSERT_EQ(refused.refused.size(), 1u);
  EXPECT_NE(refused.refused[0].reason.find("--patients"), std::string::npos);
  const PatientDirectory known = parse_patient_directory(
      R"({"resourceType":"Patient","id":"52","identifier":[{"system":"http://hospital.test/mrn","value":"MRN1"}]})");
  const ParsedConsents p = read(consent, &known);
  ASSERT_EQ(p.consents.size(), 1u);
  EXPECT_EQ(ask(p.consents, "HRESCH").decision, Decision::Deny);
}

TEST(ConsentShapes, AConsentWithAnIdAloneHasNoIdentityAndIsRefused) {
  const ParsedConsents p = parse_fhir_consents(R"({"resourceType":"Consent","id":"1","status":"active",
    "patient":{"identifier":{"value":"MRN1"}},"policyRule":{"coding":[{"code":"OPTOUT"}]}})");
  ASSERT_EQ(p.refused.size(), 1u);
  EXPECT_NE(p.refused[0].reason.find("no identity"), std::string::npos);
  // An identifier with a system is an identity (LEAP's fixtures carry no id at all).
  const ParsedConsents leap = parse_fhir_consents(R"({"resourceType":"Consent","status":"active",
    "identifier":[{"system":"http://leap.test/ids","value":"optout"}],
    "patient":{"identifier":{"value":"MRN1"}},"policyRule":{"coding":[{"code":"OPTOUT"}]}})");
  ASSERT_EQ(leap.consents.size(), 1u);
  EXPECT_EQ(leap.consents[0].identity, "identifier:http://leap.test/ids|optout");
}

TEST(ConsentShapes, AnR5DateIsWhenThePatientDecidedSoALaterR5OptOutBeatsAnEarlierR4Permit) {
  const auto p = read(R"([{"resourceType":"Consent","id":"r4-yes","status":"active","dateTime":"2024-01-01",
      "patient":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},"policyRule":{"coding":[{"code":"OPTIN"}]},
      "provision":{"type":"permit"}},
    {"resourceType":"Consent","id":"r5-no","status":"active","date":"2025-06-01","decision":"deny",
      "subject":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}}}])");
  ASSERT_EQ(p.consents.size(), 2u);
  ASSERT_TRUE(p.consents[1].recorded);
  const Verdict v = ask(p.consents, "HRESCH");
  EXPECT_EQ(v.decision, Decision::Deny);
  EXPECT_EQ(v.purposes[0].consent_id, "r5-no");
}

TEST(ConsentShapes, ACustodianOrAuthorIsNotARecipient) {
  // R5: withhold from everyone; the custodian organisation (lab-a's identifier) is named as manager.
  const auto p = read(R"({"resourceType":"Consent","id":"c","status":"active","date":"2025-01-01","decision":"deny",
    "subject":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},
    "provision":[{"actor":[{"role":{"coding":[{"code":"CST"}]},"reference":{"identifier":{"value":"lab-a"}}}]}]})");
  ASSERT_EQ(p.consents.size(), 1u);
  EXPECT_EQ(ask(p.consents, "AITRAIN", "lab-a").decision, Decision::Deny);
  EXPECT_EQ(ask(p.consents, "HRESCH", "lab-a").decision, Decision::Deny);
  // A recipient role (IRCP) does name a recipient.
  const auto recipient = read(R"({"resourceType":"Consent","id":"c","status":"active","date":"2025-01-01","decision":"deny",
    "subject":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},
    "provision":[{"actor":[{"role":{"coding":[{"code":"IRCP"}]},"reference":{"identifier":{"value":"lab-a"}}}]}]})");
  EXPECT_EQ(ask(recipient.consents, "HRESCH", "lab-a").decision, Decision::Permit);
  EXPECT_EQ(ask(recipient.consents, "HRESCH", "lab-b").decision, Decision::Deny);
}

TEST(ConsentShapes, ARecipientRadveilCannotIdentifyIsDeniedByADenyAndNeverPermittedByAPermit) {
  const std::string base = R"({"resourceType":"Consent","id":"c","status":"active","dateTime":"2025-01-01",
    "patient":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},"policyRule":{"coding":[{"code":"OPTIN"}]},)";
  const auto deny = read(base + R"("provision":{"type":"permit","provision":[{"type":"deny",
    "actor":[{"role":{"coding":[{"code":"IRCP"}]},"reference":{"reference":"Organization/54"}}]}]}})");
  EXPECT_EQ(ask(deny.consents, "HRESCH", "lab-a").decision, Decision::Deny);
  const auto permit = read(base + R"("provision":{"type":"deny","provision":[{"type":"permit",
    "actor":[{"role":{"coding":[{"code":"IRCP"}]},"reference":{"reference":"Organization/54"}}]}]}})");
  EXPECT_EQ(ask(permit.consents, "HRESCH", "lab-a").decision, Decision::Deny);
  // Named in the map given with --patients, the organisation is a recipient like any other.
  const PatientDirectory known = parse_patient_directory(
      R"({"resourceType":"Organization","id":"54","identifier":[{"system":"urn:radveil:recipient","value":"lab-b"}]})");
  const auto resolved = read(base + R"("provision":{"type":"permit","provision":[{"type":"deny",
    "actor":[{"role":{"coding":[{"code":"IRCP"}]},"reference":{"reference":"Organization/54"}}]}]}})", &known);
  EXPECT_EQ(ask(resolved.consents, "HRESCH", "lab-a").decision, Decision::Permit);
  EXPECT_EQ(ask(resolved.consents, "HRESCH", "lab-b").decision, Decision::Deny);
}

TEST(ConsentShapes, TheMiiBroadConsentPermitsResearchOnlyWhenEveryMdatModuleIsPermitted) {
  const auto module = [](const std::string& n, const std::string& end = "2050-01-01") {
    return R"({"type":"permit","period":{"start":"2024-01-01","end":")" + end +
           R"("},"code":[{"coding":[{"system":"urn:oid:2.16.840.1.113883.3.1937.777.24.5.3","code":"2.16.840.1.113883.3.1937.777.24.5.3.)" +
           n + R"("}]}]})";
  };
  const auto mii = [&](const std::string& modules) {
    return read(R"({"resourceType":"Consent","id":"mii","status":"active","dateTime":"2024-01-01",
      "scope":{"coding":[{"code":"research"}]},"patient":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},
      "policy":[{"uri":"urn:oid:2.16.840.1.113883.3.1937.777.24.2.1790"}],
      "provision":{"type":"deny","provision":[)" + modules + "]}}");
  };
  const auto all = mii(module("6") + "," + module("7") + "," + module("8"));
  ASSERT_TRUE(all.refused.empty()) << all.refused.front().reason;
  EXPECT_EQ(ask(all.consents, "HRESCH").reason, "permitted");
  EXPECT_EQ(ask(all.consents, "AITRAIN").decision, Decision::Deny);  // broad consent is not AI training
  // Scientific use ended (module .8 expired): research is withheld.
  EXPECT_EQ(ask(mii(module("6") + "," + module("7") + "," + module("8", "2025-01-01")).consents, "HRESCH").reason,
            "withheld-opted-out");
  EXPECT_EQ(ask(mii(module("6")).consents, "HRESCH").reason, "withheld-opted-out");
  // No consent at all: the policy default.
  EXPECT_EQ(ask({}, "HRESCH").reason, "permitted");
}

TEST(ConsentShapes, TheNationalDataOptOutWithholdsEverySecondaryUse) {
  const auto p = parse_fhir_consents(R"({"resourceType":"Consent","status":"active","dateTime":"2017-12-14T11:15:33+00:00",
    "patient":{"reference":"https://demographics.spineservices.nhs.uk/STU3/Patient/6105551234"},
    "policy":[{"uri":"https://www.gov.uk/"}],"purpose":[{"system":"https://snomed.info/sct","code":"370856009"}]})");
  ASSERT_EQ(p.consents.size(), 1u) << p.refused.front().reason;
  EXPECT_EQ(p.consents[0].shape, "FHIR STU3");
  const Identifier nhs{"https://fhir.nhs.uk/Id/nhs-number", "6105551234"};
  EXPECT_EQ(ask(p.consents, "HRESCH", "lab-a", nhs).reason, "withheld-opted-out");
  EXPECT_EQ(ask(p.consents, "AITRAIN", "lab-a", nhs).reason, "withheld-opted-out");
}

TEST(ConsentShapes, AStu3ExceptIsAnExceptionToTheBaseThePolicyRuleStates) {
  const auto p = read(R"({"resourceType":"Consent","id":"s","status":"active","dateTime":"2017-01-01",
    "patient":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},
    "policyRule":"http://hl7.org/fhir/ConsentPolicy/opt-in",
    "except":[{"type":"deny","purpose":[{"code":"HRESCH"}]}]})");
  ASSERT_EQ(p.consents.size(), 1u) << p.refused.front().reason;
  EXPECT_EQ(ask(p.consents, "HRESCH").decision, Decision::Deny);
  EXPECT_EQ(ask(p.consents, "HOPERAT").decision, Decision::Permit);
}

TEST(ConsentShapes, AContainedPatientAndBundlesInsideBundlesAreRead) {
  // gICS answers with Bundles of Bundles; a Patient may be contained in the Consent.
  const auto p = read(R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Bundle",
    "type":"collection","entry":[{"fullUrl":"https://gics.test/fhir/Consent/9","resource":{"resourceType":"Consent","id":"9",
    "status":"active","dateTime":"2024-01-01","scope":{"coding":[{"code":"research"}]},
    "contained":[{"resourceType":"Patient","id":"p","identifier":[{"system":"http://hospital.test/mrn","value":"MRN1"}]}],
    "patient":{"reference":"#p"},"policyRule":{"coding":[{"code":"OPTOUT"}]}}}]}}]})");
  ASSERT_EQ(p.consents.size(), 1u) << (p.refused.empty() ? "" : p.refused.front().reason);
  EXPECT_EQ(p.consents[0].identity, "https://gics.test/fhir/Consent/9");
  EXPECT_EQ(ask(p.consents, "HRESCH").reason, "withheld-opted-out");
}

TEST(ConsentShapes, AFastAuthorisationPermitsOnlyTheRecipientItNames) {
  // HL7 FAST: an MRN identifier, a HIPAA authorisation, the recipient in role IRCP.
  const auto p = parse_fhir_consents(R"({"resourceType":"Consent","status":"active","dateTime":"2025-01-01",
    "identifier":[{"system":"http://fast.test/consents","value":"42"}],"scope":{"coding":[{"code":"patient-privacy"}]},
    "patient":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},
    "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentpolicycodes","code":"hipaa-auth"}]},
    "provision":{"type":"permit","actor":[{"role":{"coding":[{"code":"IRCP"}]},"reference":{"identifier":{"value":"lab-a"}}}],
      "purpose":[{"code":"HRESCH"}]}})");
  ASSERT_EQ(p.consents.size(), 1u) << (p.refused.empty() ? "" : p.refused.front().reason);
  EXPECT_EQ(ask(p.consents, "HRESCH", "lab-a").reason, "permitted");
  EXPECT_EQ(ask(p.consents, "AITRAIN", "lab-a").decision, Decision::Deny);  // authorised for research only
}

TEST(ConsentShapes, AnR5OptOutWithAPermitForOneRecipient) {
  const auto p = read(R"({"resourceType":"Consent","id":"o","status":"active","date":"2025-01-01","decision":"deny",
    "subject":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},
    "provision":[{"actor":[{"role":{"coding":[{"code":"IRCP"}]},"reference":{"identifier":{"value":"lab-a"}}}]}]})");
  EXPECT_EQ(ask(p.consents, "HRESCH", "lab-a").reason, "permitted");
  EXPECT_EQ(ask(p.consents, "HRESCH", "lab-b").reason, "withheld-opted-out");
}

TEST(ConsentShapes, AnR5ConsentWithoutADecisionIsRefusedNotGuessed) {
  const auto p = read(R"({"resourceType":"Consent","id":"o","status":"active","date":"2025-01-01",
    "subject":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},"provision":[{}]})");
  ASSERT_EQ(p.refused.size(), 1u);
  EXPECT_NE(p.refused[0].reason.find("no decision"), std::string::npos);
}

TEST(ConsentShapes, ADenyUnderARootRadveilCannotCheckStillDenies) {
  // STU3 opt-in limited to studies of some dates (the study's date is unknown), except research.
  const auto p = read(R"({"resourceType":"Consent","id":"s","status":"active","dateTime":"2017-01-01",
    "patient":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},
    "policyRule":"http://hl7.org/fhir/ConsentPolicy/opt-in","dataPeriod":{"start":"2010-01-01"},
    "except":[{"type":"deny","purpose":[{"code":"HRESCH"}]}]})");
  ASSERT_EQ(p.consents.size(), 1u);
  EXPECT_EQ(ask(p.consents, "HRESCH").reason, "withheld-opted-out");
}

TEST(ConsentShapes, ADenyWithoutADateIsNotOverriddenByADatedPermit) {
  const auto p = read(R"([{"resourceType":"Consent","id":"undated","status":"active","decision":"deny",
      "subject":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},"grantor":[{"display":"patient"}]},
    {"resourceType":"Consent","id":"dated","status":"active","date":"2025-01-01","decision":"permit",
      "subject":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}}}])");
  ASSERT_EQ(p.consents.size(), 2u);
  EXPECT_EQ(ask(p.consents, "HRESCH").reason, "withheld-opted-out");
}

TEST(ConsentShapes, AnActorInAnotherIdentifierSystemIsDeniedButNotPermitted) {
  const std::string head = R"({"resourceType":"Consent","id":"c","status":"active","date":"2025-01-01",
    "subject":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},)";
  const std::string actor = R"("actor":[{"role":{"coding":[{"code":"IRCP"}]},
    "reference":{"identifier":{"system":"http://hl7.org/fhir/sid/us-npi","value":"lab-a"}}}])";
  EXPECT_EQ(ask(read(head + R"("decision":"deny","provision":[{)" + actor + "}]}").consents, "HRESCH", "lab-a").decision,
            Decision::Deny);  // the permit exception for an NPI does not permit radveil's lab-a
  EXPECT_EQ(ask(read(head + R"("decision":"permit","provision":[{)" + actor + "}]}").consents, "HRESCH", "lab-a").decision,
            Decision::Deny);  // the deny exception may be lab-a: it applies
}

TEST(ConsentShapes, ConditionsRadveilCannotCheckLetADenyApply) {
  const std::string head = R"({"resourceType":"Consent","id":"c","status":"active","date":"2025-01-01","decision":"permit",
    "subject":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},"provision":[)";
  // A code the policy does not map, and a class beside a MIME type radveil cannot compare.
  EXPECT_EQ(ask(read(head + R"({"code":[{"coding":[{"system":"http://loinc.org","code":"34133-9"}]}]}]})").consents, "HRESCH").decision,
            Decision::Deny);
  EXPECT_EQ(ask(read(head + R"({"resourceType":[{"system":"http://hl7.org/fhir/fhir-types","code":"Observation"},
    {"system":"urn:ietf:bcp:13","code":"application/dicom"}]}]})").consents, "HRESCH").decision,
            Decision::Deny);
  // A class that is only another resource type does not cover images.
  EXPECT_EQ(ask(read(head + R"({"resourceType":[{"system":"http://hl7.org/fhir/fhir-types","code":"Observation"}]}]})").consents,
                "HRESCH").decision,
            Decision::Permit);
}

TEST(ConsentShapes, HostileShapesAreRefusedNotFollowed) {
  // A reference whose NHS-like tail sits at the start of the string; an entry with an empty
  // request; a PATCH; a mis-spelt resourceType; policyRule codes that disagree.
  const auto nhs = parse_fhir_consents(R"({"resourceType":"Consent","status":"active","patient":{"reference":".nhs.uk/9434765919"},
    "purpose":[{"code":"370856009"}]})");
  EXPECT_EQ(nhs.consents.size(), 0u);
  const auto empty_request = read(R"({"resourceType":"Bundle","type":"batch","entry":[{"request":{},"resource":
    {"resourceType":"Consent","id":"a","status":"active","patient":{"identifier":{"value":"MRN1"}},"policyRule":{"coding":[{"code":"OPTOUT"}]}}}]})");
  EXPECT_EQ(empty_request.consents.size(), 1u);
  const auto patch = read(R"({"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"PATCH","url":"Consent/a"},
    "resource":{"resourceType":"Parameters"}}]})");
  ASSERT_EQ(patch.refused.size(), 1u);
  EXPECT_NE(patch.refused[0].reason.find("PATCH"), std::string::npos);
  const auto spelt = read(R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"consent","id":"a"}}]})");
  ASSERT_EQ(spelt.refused.size(), 1u);
  const auto both = read(R"({"resourceType":"Consent","id":"b","status":"active","scope":{"coding":[{"code":"patient-privacy"}]},
    "patient":{"identifier":{"system":"http://hospital.test/mrn","value":"MRN1"}},"policyRule":{"coding":[{"code":"OPTIN"},{"code":"OPTOUT"}]}})");
  EXPECT_EQ(ask(both.consents, "HRESCH").reason, "withheld-opted-out");
}

TEST(ConsentShapes, AnAbsoluteReferenceResolvesOnlyOnItsOwnServer) {
  const auto p = read(R"({"resourceType":"Bundle","type":"collection","entry":[
    {"fullUrl":"https://a.test/fhir/Patient/1","resource":{"resourceType":"Patient","id":"1","identifier":[{"value":"A-ONE"}]}},
    {"fullUrl":"https://c.test/fhir/Consent/9","resource":{"resourceType":"Consent","id":"9","status":"active",
      "patient":{"reference":"https://c.test/fhir/Patient/1"},"policyRule":{"coding":[{"code":"OPTOUT"}]}}}]})");
  ASSERT_EQ(p.refused.size(), 1u);  // c.test's Patient/1 is not a.test's
  EXPECT_TRUE(p.consents.empty());
}

TEST(ConsentShapes, ATransactionBundleIsAllOrNothingABatchIsNot) {
  const std::string good = R"({"resource":{"resourceType":"Consent","id":"a","status":"active",
    "patient":{"identifier":{"value":"MRN1"}},"policyRule":{"coding":[{"code":"OPTOUT"}]}}})";
  const std::string bad = R"({"resource":{"resourceType":"Consent","id":"b","status":"maybe"}})";
  const auto transaction = read(R"({"resourceType":"Bundle","type":"transaction","entry":[)" + good + "," + bad + "]}");
  EXPECT_TRUE(transaction.consents.empty());
  const auto batch = read(R"({"resourceType":"Bundle","type":"batch","entry":[)" + good + "," + bad + "]}");
  EXPECT_EQ(batch.consents.size(), 1u);
  ASSERT_EQ(batch.refused.size(), 1u);
  EXPECT_TRUE(batch.refused[0].independent);
  const auto deletion = read(R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"request":{"method":"DELETE","url":"Consent/a"}}]})");
  ASSERT_EQ(deletion.withdrawals.size(), 1u);
  EXPECT_EQ(deletion.withdrawals[0].identity, "https://ehr.test/fhir/Consent/a");
}

}  // namespace radveil::consent

namespace radveil::store {
namespace {

consent::Consent one(const std::string& text, const std::string& source = "https://a.test/fhir") {
  const auto p = consent::parse_fhir_consents(text, consent::ImportContext{source, nullptr});
  EXPECT_EQ(p.consents.size(), 1u) << (p.refused.empty() ? "" : p.refused.front().reason);
  return p.consents.at(0);
}

std::string resource(const std::string& patient, const std::string& decision, const std::string& meta = "") {
  return R"({"resourceType":"Consent","id":"1","status":"active",)" + meta + R"("dateTime":"2025-01-01",
    "patient":{"identifier":{"value":")" + patient + R"("}},"policyRule":{"coding":[{"code":"OPTIN"}]},
    "provision":{"type":")" + decision + R"("}})";
}

consent::Decision research_for(StateStore& store, const std::string& patient) {
  return consent::decide(store.consents_for(patient), consent::default_policy(),
                         {{"", patient}, "HRESCH", "lab-a", 1780000000, std::nullopt})
      .decision;
}

}  // namespace

TEST(ConsentRegistry, TwoServersConsent1AreTwoConsentsAndNeitherReplacesTheOther) {
  test::TempDir dir;
  auto store = open_state_store(dir.path());
  EXPECT_EQ(store->put_consent(one(resource("A1", "deny"), "https://a.test/fhir")), PutResult::Added);
  EXPECT_EQ(store->put_consent(one(resource("B7", "permit"), "https://b.test/fhir")), PutResult::Added);
  ASSERT_EQ(store->consents_for("A1").size(), 1u);
  EXPECT_EQ(research_for(*store, "A1"), consent::Decision::Deny);
}

TEST(ConsentRegistry, AnIdentityThatNamesAnotherPatientIsRefusedAndTheImportLeavesNothing) {
  test::TempDir dir;
  auto store = open_state_store(dir.path());
  store->put_consent(one(resource("A1", "deny")));
  const auto outcomes = store->import_consents({one(resource("Z9", "permit", R"("meta":{"versionId":"1"},)")),
                                                one(resource("A1", "permit", R"("meta":{"versionId":"9"},)"))},
                                               {});
  EXPECT_EQ(outcomes[0].result, PutResult::Refused);
  ASSERT_EQ(store->consents_for("A1").size(), 1u);
  EXPECT_EQ(research_for(*store, "A1"), consent::Decision::Deny);  // the second one was rolled back
  EXPECT_TRUE(store->consents_for("Z9").empty());
}

TEST(ConsentRegistry, AnOlderVersionImportedLaterIsRecordedNotApplied) {
  test::TempDir dir;
  auto store = open_state_store(dir.path());
  const auto v2 = one(resource("A1", "deny", R"("meta":{"versionId":"2","lastUpdated":"2025-02-01T00:00:00Z"},)"));
  const auto v1 = one(resource("A1", "permit", R"("meta":{"versionId":"1","lastUpdated":"2025-01-01T00:00:00Z"},)"));
  EXPECT_EQ(store->put_consent(v2), PutResult::Added);
  EXPECT_EQ(store->put_consent(v1), PutResult::Stale);
  ASSERT_EQ(store->consents_for("A1").size(), 1u);
  EXPECT_EQ(store->consents_for("A1")[0].version, "2");
  const auto v3 = one(resource("A1", "permit", R"("meta":{"versionId":"3","lastUpdated":"2025-03-01T00:00:00Z"},)"));
  EXPECT_EQ(store->put_consent(v3), PutResult::Updated);
  EXPECT_EQ(store->consents_for("A1")[0].version, "3");
}

TEST(ConsentRegistry, DuplicatesThatCannotBeOrderedAreBothKeptSoTheOptOutStays) {
  test::TempDir dir;
  auto store = open_state_store(dir.path());
  // The same identity and versionId with different content (one file, two entries).
  const auto outcomes = store->import_consents({one(resource("A1", "permit", R"("meta":{"versionId":"1"},)")),
                                                one(resource("A1", "deny", R"("meta":{"versionId":"1"},)"))},
                                               {});
  EXPECT_EQ(outcomes[1].result, PutResult::Kept);
  const auto on_file = store->consents_for("A1");
  ASSERT_EQ(on_file.size(), 2u);
  const auto v = consent::decide(on_file, consent::default_policy(), {{"", "A1"}, "HRESCH", "lab-a", 1780000000, std::nullopt});
  EXPECT_EQ(v.decision, consent::Decision::Deny);  // same moment: the deny wins
}

TEST(ConsentRegistry, ADeleteWithdrawsTheNamedConsentAndOneThatMissesRefusesTheImport) {
  test::TempDir dir;
  auto store = open_state_store(dir.path());
  const auto c = one(resource("A1", "deny"));
  store->put_consent(c);
  // A withdrawal naming nothing on file may have meant a consent under another identity: refused,
  // and the whole import with it.
  const auto missed = store->import_consents({}, {c.identity, "https://a.test/fhir/Consent/none"});
  EXPECT_EQ(missed[1].result, PutResult::NotOnFile);
  EXPECT_EQ(store->consents_for("A1").size(), 1u);
  EXPECT_EQ(store->import_consents({}, {c.identity})[0].result, PutResult::Withdrawn);
  EXPECT_TRUE(store->consents_for("A1").empty());
}

TEST(ConsentRegistry, ADeleteAndANewVersionInOneImportLeaveTheNewVersion) {
  test::TempDir dir;
  auto store = open_state_store(dir.path());
  const auto old_permit = one(resource("A1", "permit", R"("meta":{"versionId":"1"},)"));
  store->put_consent(old_permit);
  const auto new_deny = one(resource("A1", "deny", R"("meta":{"versionId":"2"},)"));
  const auto outcomes = store->import_consents({new_deny}, {old_permit.identity});
  EXPECT_EQ(outcomes[0].result, PutResult::Withdrawn);
  ASSERT_EQ(store->consents_for("A1").size(), 1u);
  EXPECT_EQ(research_for(*store, "A1"), consent::Decision::Deny);
}

TEST(ConsentRegistry, AnOlderVersionAfterAWithdrawalIsNotApplied) {
  test::TempDir dir;
  auto store = open_state_store(dir.path());
  const auto v2 = one(resource("A1", "deny", R"("meta":{"versionId":"2"},)"));
  store->put_consent(v2);
  store->import_consents({}, {v2.identity});
  EXPECT_EQ(store->put_consent(one(resource("A1", "permit", R"("meta":{"versionId":"1"},)"))), PutResult::Stale);
  EXPECT_TRUE(store->consents_for("A1").empty());
}

}  // namespace radveil::store

namespace radveil::consent {
namespace {

// Every value of a resource replaced, at random, by JSON of another type.
void scramble(nlohmann::json& j, std::mt19937& rng) {
  const auto other = [&]() -> nlohmann::json {
    switch (rng() % 6) {
      case 0: return nullptr;
      case 1: return 42;
      case 2: return "x";
      case 3: return nlohmann::json::array({1, "a"});
      case 4: return nlohmann::json::object({{"reference", "Patient/1"}});
      default: return nlohmann::json::object();
    }
  };
  for (auto& x : j) {
    if (rng() % 6 == 0) x = other();
    else if (x.is_structured()) scramble(x, rng);
  }
}

}  // namespace

TEST(ConsentShapes, ScrambledResourcesAreRefusedOrReadNeverACrash) {
  const std::vector<std::string> shapes = {
      R"({"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"https://s/fhir/Patient/1","resource":{"resourceType":"Patient","id":"1","identifier":[{"system":"http://h/mrn","value":"M"}]}},
        {"request":{"method":"DELETE","url":"Consent/2"}},{"fullUrl":"https://s/fhir/Consent/3","request":{"method":"PUT","url":"Consent/3"},
        "resource":{"resourceType":"Consent","id":"3","status":"active","scope":{"coding":[{"code":"research"}]},"patient":{"reference":"Patient/1"},
        "dateTime":"2024-01-01","meta":{"versionId":"2","lastUpdated":"2024-01-01T00:00:00Z"},"policyRule":{"coding":[{"code":"OPTIN"}]},
        "provision":{"actor":[{"role":{"coding":[{"code":"IRCP"}]},"reference":{"reference":"Organization/9"}}],"purpose":[{"code":"HRESCH"}],
        "class":[{"system":"http://hl7.org/fhir/resource-types","code":"ImagingStudy"}],"code":[{"coding":[{"code":"c"}]}],
        "dataPeriod":{"start":"2020"},"provision":[{"type":"deny","action":[{"coding":[{"code":"disclose"}]}]}]}}}]})",
      R"({"resourceType":"Consent","id":"r5","status":"active","date":"2025-01-01","decision":"deny","subject":{"identifier":{"value":"M"}},
        "provision":[{"period":{"start":"2024"},"resourceType":[{"code":"ImagingStudy"}],"provision":[{"purpose":[{"code":"AITRAIN"}]}]}]})",
      R"({"resourceType":"Consent","status":"active","patient":{"reference":"https://demographics.spineservices.nhs.uk/STU3/Patient/9434765919"},
        "purpose":[{"code":"370856009"}],"except":[{"type":"permit","actor":[{"reference":{"identifier":{"value":"lab-a"}}}]}]})"};
  std::mt19937 rng(20261207);
  std::size_t read_ok = 0;
  for (const auto& shape : shapes) {
    for (int i = 0; i < 300; ++i) {
      nlohmann::json j = nlohmann::json::parse(shape);
      scramble(j, rng);
      ParsedConsents p;
      ASSERT_NO_THROW(p = read(j.dump()));
      for (const auto& c : p.consents) {
        ++read_ok;
        ASSERT_NO_THROW(ask({c}, "HRESCH", "lab-a", c.patient));
      }
    }
  }
  EXPECT_GT(read_ok, 0u);  // some survive the scrambling and are decided
}

}  // namespace radveil::consent
