// Audit messages as PS3.15 A.5 and RFC 5424 shape them: the events' required parts, escaping that
// keeps a message one line of well-formed XML, the syslog header and octet-counted framing.
#include <gtest/gtest.h>

#include "audit/audit_config.h"
#include "audit/audit_events.h"
#include "audit/syslog_message.h"

namespace radveil::audit {
namespace {

AuditSource source() { return {"radveil@gw", "Site A", "gw", "42", "alice"}; }

StudyTransfer study() {
  StudyTransfer s;
  s.export_id = "exp-1";
  s.patient_id = "MRN<7>&\"x\"";
  s.patient_issuer = "HOSP";
  s.study_uid = "1.2.3";
  s.pseudonymous_study_uid = "2.25.9";
  s.sop_classes = {{"1.2.840.10008.5.1.4.1.1.2", 12}};
  s.recipient_id = "lab-a";
  s.recipient_name = "Lab A";
  s.purpose_code = "HRESCH";
  s.purpose_system = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
  s.purpose_meaning = "healthcare research";
  s.destination = "file:///out";
  return s;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(AuditMessage, ExportNamesEventPurposeRecipientStudyAndPatient) {
  const std::string xml = to_xml(export_message(source(), study(), 1'700'000'000'123));
  EXPECT_TRUE(contains(xml, R"(<EventIdentification EventActionCode="R" EventDateTime="2023-11-14T22:13:20.123Z" EventOutcomeIndicator="0">)")) << xml;
  EXPECT_TRUE(contains(xml, R"(<EventID csd-code="110106" codeSystemName="DCM" originalText="Export"/>)"));
  EXPECT_TRUE(contains(xml, R"(<PurposeOfUse csd-code="HRESCH")"));
  EXPECT_TRUE(contains(xml, R"(UserID="alice")") && contains(xml, R"(UserIsRequestor="true")"));
  EXPECT_TRUE(contains(xml, R"(<RoleIDCode csd-code="110154")")) << "the destination media";
  EXPECT_TRUE(contains(xml, R"(ParticipantObjectID="1.2.3" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="3")"));
  EXPECT_TRUE(contains(xml, R"(<SOPClass UID="1.2.840.10008.5.1.4.1.1.2" NumberOfInstances="12"/>)"));
  EXPECT_TRUE(contains(xml, R"(ParticipantObjectID="lab-a" ParticipantObjectTypeCode="3" ParticipantObjectTypeCodeRole="16")"));
  EXPECT_TRUE(contains(xml, R"(ParticipantObjectID="HRESCH")"));
  EXPECT_TRUE(contains(xml, R"(<AuditSourceIdentification AuditEnterpriseSiteID="Site A" AuditSourceID="radveil@gw">)"));
}

TEST(AuditMessage, ValuesAreEscapedAndAMessageIsOneLine) {
  StudyTransfer s = study();
  s.recipient_name = "Lab\nA\t<b>";
  const std::string xml = to_xml(begin_transferring(source(), s, 0));
  EXPECT_TRUE(contains(xml, R"(ParticipantObjectID="MRN&lt;7&gt;&amp;&quot;x&quot;^^^HOSP")")) << xml;
  EXPECT_TRUE(contains(xml, "Lab&#10;A&#9;&lt;b&gt;"));
  EXPECT_EQ(xml.find('\n'), std::string::npos);
}

TEST(AuditMessage, TransferAndAlertCarryTheirOutcome) {
  const std::string transferred = to_xml(instances_transferred(source(), study(), Outcome::SeriousFailure, 0));
  EXPECT_TRUE(contains(transferred, R"(EventOutcomeIndicator="8")"));
  EXPECT_TRUE(contains(transferred, R"(csd-code="110104")"));
  EXPECT_TRUE(contains(transferred, R"(<RoleIDCode csd-code="110152")")) << "the recipient is the destination";
  const std::string alert = to_xml(security_alert(source(), "file:///state#ledger", "record 3 was changed", Outcome::MajorFailure, 0));
  EXPECT_TRUE(contains(alert, R"(csd-code="110113")") && contains(alert, R"(EventOutcomeIndicator="12")"));
  EXPECT_TRUE(contains(alert, R"(<ParticipantObjectDetail type="Alert Description" value="cmVjb3JkIDMgd2FzIGNoYW5nZWQ="/>)"));
}

TEST(SyslogMessage, HeaderIsRfc5424WithAuthprivFacility) {
  const std::string ok = syslog_message(begin_transferring(source(), study(), 0), "gw host", "42", 1'700'000'000'000);
  EXPECT_EQ(ok.rfind("<85>1 2023-11-14T22:13:20.000Z gw_host radveil 42 DICOM+RFC3881 - <?xml", 0), 0u) << ok;
  const std::string failed = syslog_message(instances_transferred(source(), study(), Outcome::MinorFailure, 0), "gw", "42", 0);
  EXPECT_EQ(failed.rfind("<84>1 ", 0), 0u);
}

TEST(SyslogMessage, OctetCountingCountsBytesNotCharacters) {
  EXPECT_EQ(octet_counted("h\xc3\xa9llo"), "6 h\xc3\xa9llo");
}

TEST(AuditConfig, DefaultsToTheStateFolderAndNoCollector) {
  const AuditConfig c = parse_audit_config("", "/etc/radveil", "/var/lib/radveil");
  EXPECT_EQ(c.file, "/var/lib/radveil/audit.log");
  EXPECT_FALSE(c.syslog);
}

TEST(AuditConfig, ACollectorIsTlsUnlessTurnedOffOnPurpose) {
  const AuditConfig tls = parse_audit_config("[syslog]\nhost = \"audit\"\nca_file = \"ca.pem\"\n", "/etc/radveil", "/s");
  ASSERT_TRUE(tls.syslog);
  EXPECT_TRUE(tls.syslog->tls);
  EXPECT_EQ(tls.syslog->port, 6514);
  EXPECT_EQ(tls.syslog->ca_file, "/etc/radveil/ca.pem");
  const AuditConfig clear = parse_audit_config("[syslog]\nhost = \"audit\"\nport = 514\ntls = false\n", "/e", "/s");
  EXPECT_FALSE(clear.syslog->tls);
  // Certificates with TLS off: the file says two things; radveil refuses rather than guess.
  EXPECT_THROW(parse_audit_config("[syslog]\nhost = \"a\"\ntls = false\nca_file = \"ca.pem\"\n", "/e", "/s"), AuditConfigError);
}

TEST(AuditConfig, MistakesAreRefusedByName) {
  EXPECT_THROW(parse_audit_config("[syslog]\nport = 6514\n", "/e", "/s"), AuditConfigError);           // no host
  EXPECT_THROW(parse_audit_config("[syslog]\nhost = \"a\"\nport = 70000\n", "/e", "/s"), AuditConfigError);
  EXPECT_THROW(parse_audit_config("[syslog]\nhost = \"a\"\ntls = \"no\"\n", "/e", "/s"), AuditConfigError);
  EXPECT_THROW(parse_audit_config("[syslog]\nhost = \"a\"\ncert_file = \"c.pem\"\n", "/e", "/s"), AuditConfigError);
  EXPECT_THROW(parse_audit_config("colector = 1\n", "/e", "/s"), AuditConfigError);
  EXPECT_THROW(parse_audit_config("file = [\n", "/e", "/s"), AuditConfigError);
}

}  // namespace
}  // namespace radveil::audit
