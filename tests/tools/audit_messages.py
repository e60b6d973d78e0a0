#!/usr/bin/python3
"""Reads syslog messages (one per line, as a collector wrote them) and prints each as one JSON
line: the RFC 5424 header fields and the DICOM audit message (PS3.15 A.5), parsed by Python's own
XML parser, an implementation independent of radveil's. A line that is not a well-formed RFC 5424
message with an XML body becomes {"error": "..."}."""
import json
import re
import sys
import xml.etree.ElementTree as ET

HEADER = re.compile(r"^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) (.*)$", re.S)


def coded(element):
    if element is None:
        return None
    return {k: element.get(k) for k in ("csd-code", "codeSystemName", "originalText")}


def message(line):
    m = HEADER.match(line)
    if not m:
        return {"error": "not an RFC 5424 message"}
    pri, time, host, app, proc, msgid, _sd, body = m.groups()
    if body.startswith("\ufeff"):
        body = body[1:]
    try:
        root = ET.fromstring(body.encode("utf-8"))
    except ET.ParseError as e:
        return {"error": "not XML: %s" % e}
    event = root.find("EventIdentification")
    out = {
        "pri": int(pri), "time": time, "host": host, "app": app, "procid": proc, "msgid": msgid,
        "root": root.tag,
        "event": None if event is None else {
            "action": event.get("EventActionCode"),
            "time": event.get("EventDateTime"),
            "outcome": event.get("EventOutcomeIndicator"),
            "id": coded(event.find("EventID")),
            "types": [coded(t) for t in event.findall("EventTypeCode")],
            "purposes": [coded(p) for p in event.findall("PurposeOfUse")],
            "description": event.findtext("EventOutcomeDescription"),
        },
        "participants": [{
            "user": p.get("UserID"), "requestor": p.get("UserIsRequestor"), "name": p.get("UserName"),
            "access_point": p.get("NetworkAccessPointID"),
            "roles": [coded(r) for r in p.findall("RoleIDCode")],
            "media": coded(p.find("MediaIdentifier/MediaType")),
        } for p in root.findall("ActiveParticipant")],
        "source": [{
            "id": s.get("AuditSourceID"), "site": s.get("AuditEnterpriseSiteID"),
            "types": [coded(t) for t in s.findall("AuditSourceTypeCode")],
        } for s in root.findall("AuditSourceIdentification")],
        "objects": [{
            "id": o.get("ParticipantObjectID"), "type": o.get("ParticipantObjectTypeCode"),
            "role": o.get("ParticipantObjectTypeCodeRole"), "id_type": coded(o.find("ParticipantObjectIDTypeCode")),
            "name": o.findtext("ParticipantObjectName"),
            "details": {d.get("type"): d.get("value") for d in o.findall("ParticipantObjectDetail")},
            "sop_classes": [{"uid": s.get("UID"), "instances": s.get("NumberOfInstances")} for s in o.findall("SOPClass")],
            "anonymized": o.findtext("Anonymized"),
        } for o in root.findall("ParticipantObjectIdentification")],
    }
    return out


for raw in open(sys.argv[1], encoding="utf-8"):
    raw = raw.rstrip("\n")
    if raw:
        print(json.dumps(message(raw)))
