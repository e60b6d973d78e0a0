#pragma once
// Real peers for end-to-end tests, started on loopback with temporary configurations and
// stopped when the object goes: any program (a radveil node, rsyslog), and Orthanc as PACS or
// research destination. Plus free ports and a small HTTP client.
#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace radveil::test {

// A loopback TCP port nothing listens on now (and that no other test process picks: the search
// starts at an offset from the process id).
int free_port();
bool listening_on(int port);
bool wait_for_port(int port, int seconds);

// In `dir`: ca.pem (a test CA), server.pem/.key (for 127.0.0.1) and client.pem/.key (a TLS
// client certificate), all signed by the CA, made with the openssl command. False on failure.
bool make_test_certificates(const std::filesystem::path& dir);

// A child process: stdout and stderr to `log`; SIGTERM (then SIGKILL after 10 s) when destroyed.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  pid_t pid() const { return pid_; }
  void kill_now();           // SIGKILL, and reaped
  int stop();                // SIGTERM, wait; its exit status (128+N when killed by signal N)
  int stop_when_done(int seconds = 120);  // waits for it to end by itself (SIGKILL after `seconds`)
  bool running();

 private:
  std::optional<int> wait_for_exit(int seconds);
  pid_t pid_ = -1;
};

struct HttpReply {
  long status = 0;
  std::string body;
};
HttpReply http_get(const std::string& url);
HttpReply http_post(const std::string& url, const std::string& body, const std::string& content_type);

// Orthanc with its own storage, AE title, DICOM and HTTP ports, and the DICOMweb plugin.
// `modalities`: name -> {AE title, port} on 127.0.0.1 it may send to.
class Orthanc {
 public:
  Orthanc(const std::filesystem::path& dir, const std::string& ae_title,
          const std::vector<std::pair<std::string, std::pair<std::string, int>>>& modalities = {}, int dicom_port = 0);
  int dicom_port() const { return dicom_port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(http_port_); }
  nlohmann::json get(const std::string& path) const;  // JSON of GET url()+path (null when not 200)
  std::string upload(const std::filesystem::path& file) const;  // its Orthanc instance id, empty when refused

 private:
  int dicom_port_ = 0, http_port_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace radveil::test
