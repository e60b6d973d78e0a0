#pragma once
// A DICOM peer the test controls byte by byte (PS3.8 PDUs, PS3.7 command sets), for what no
// well-behaved sender does: half a PDU header, half a P-DATA, a command DCMTK cannot parse, a
// data set cut short. Implicit VR Little Endian only.
#include <optional>
#include <string>
#include <vector>

namespace radveil::test::raw {

// A TCP connection to 127.0.0.1:port (-1 when refused). Closed by the caller.
int connect_loopback(int port);
bool send_bytes(int socket, const std::string& bytes);

// One data element, implicit VR little endian (odd values padded with `pad`).
std::string element(unsigned group, unsigned element, std::string value, char pad = '\0');
std::string element_u16(unsigned group, unsigned element, unsigned value);

// A-ASSOCIATE-RQ proposing one presentation context (id 1) for `abstract_syntax` in implicit VR LE.
std::string associate_rq(const std::string& calling, const std::string& called, const std::string& abstract_syntax);
std::string release_rq();
// P-DATA-TF with one PDV: presentation context 1, a command or a data set fragment.
std::string p_data(const std::string& fragment, bool command, bool last);
// A command set: the elements given, preceded by (0000,0000) Command Group Length.
std::string command_set(const std::string& elements);
std::string c_store_rq(unsigned message_id, const std::string& sop_class, const std::string& sop_instance);
std::string c_echo_rq(unsigned message_id);

struct Pdu {
  int type = 0;
  std::string body;
};
// The next PDU, or nullopt when the connection closed or `seconds` passed.
std::optional<Pdu> read_pdu(int socket, int seconds);
// The Status (0000,0900) of the command in a P-DATA-TF body, or nullopt.
std::optional<unsigned> command_status(const std::string& p_data_body);

}  // namespace radveil::test::raw
