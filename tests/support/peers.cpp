#include "support/peers.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/test_support.h"

extern char** environ;

namespace radveil::test {
namespace {

std::string proc_net_tcp() {
  std::ifstream tcp("/proc/net/tcp");
  std::stringstream all;
  all << tcp.rdbuf();
  return all.str();
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

HttpReply http(const std::string& url, const std::string* body, const std::string& content_type) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialised;
  HttpReply reply;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  curl_slist* headers = nullptr;
  if (body) headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  if (body) {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  }
  if (curl_easy_perform(curl.get()) == CURLE_OK) curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  return reply;
}

}  // namespace

bool listening_on(int port) {
  char needle[40];
  std::snprintf(needle, sizeof needle, ":%04X 00000000:0000 0A", port);
  return proc_net_tcp().find(needle) != std::string::npos;
}

int free_port() {
  // Below Linux's ephemeral range (32768-60999): no outgoing connection can take the port later.
  static int next = 20000 + static_cast<int>(getpid() % 600) * 20;
  for (;; ++next) {
    if (next > 32000) next = 20000;
    char needle[16];
    std::snprintf(needle, sizeof needle, ":%04X ", next);
    if (proc_net_tcp().find(needle) == std::string::npos) return next++;
  }
}

bool wait_for_port(int port, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (listening_on(port)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

bool make_test_certificates(const std::filesystem::path& d) {
  const auto shell = [](const std::string& c) { return std::system(("{ " + c + "; } >/dev/null 2>&1").c_str()) == 0; };
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
  const std::string at = "cd " + d.string() + " && ";
  if (!shell(at + "openssl req -x509" + ec + "-keyout ca.key -out ca.pem -days 2 -subj /CN=radveil-test-ca")) return false;
  std::ofstream(d / "server.ext") << "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n";
  std::ofstream(d / "client.ext") << "extendedKeyUsage=clientAuth\n";
  for (const std::string who : {"server", "client"})
    if (!shell(at + "openssl req" + ec + "-keyout " + who + ".key -out " + who + ".csr -subj /CN=radveil-test-" + who) ||
        !shell(at + "openssl x509 -req -in " + who + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out " + who +
               ".pem -extfile " + who + ".ext"))
      return false;
  return true;
}

Process::Process(const std::vector<std::string>& args, const std::filesystem::path& log) {
  std::vector<std::string> words = args;
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const int rc = posix_spawnp(&pid_, words[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + words[0]);
}

Process::~Process() {
  if (pid_ > 0) stop();
}

bool Process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void Process::kill_now() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::optional<int> Process::wait_for_exit(int seconds) {
  int status = 0;
  for (int i = 0; i < seconds * 20; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::nullopt;
}

int Process::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  if (const auto status = wait_for_exit(10)) return *status;
  kill_now();
  return 128 + SIGKILL;
}

int Process::stop_when_done(int seconds) {
  if (pid_ <= 0) return -1;
  if (const auto status = wait_for_exit(seconds)) return *status;
  kill_now();
  return 128 + SIGKILL;
}

HttpReply http_get(const std::string& url) { return http(url, nullptr, ""); }
HttpReply http_post(const std::string& url, const std::string& body, const std::string& content_type) {
  return http(url, &body, content_type);
}

Orthanc::Orthanc(const std::filesystem::path& dir, const std::string& ae_title,
                 const std::vector<std::pair<std::string, std::pair<std::string, int>>>& modalities, int dicom_port) {
  std::filesystem::create_directories(dir / "db");
  dicom_port_ = dicom_port ? dicom_port : free_port();
  http_port_ = free_port();
  nlohmann::json config = {{"Name", ae_title},
                           {"StorageDirectory", (dir / "db").string()},
                           {"IndexDirectory", (dir / "db").string()},
                           {"HttpPort", http_port_},
                           {"DicomPort", dicom_port_},
                           {"DicomAet", ae_title},
                           {"RemoteAccessAllowed", false},
                           {"AuthenticationEnabled", false},
                           {"DicomCheckCalledAet", false},
                           {"DicomScuTimeout", 30},
                           {"StableAge", 1},
                           {"Plugins", {"/usr/share/orthanc/plugins/libOrthancDicomWeb.so"}},
                           {"DicomWeb", {{"Enable", true}, {"Root", "/dicom-web/"}}}};
  nlohmann::json m = nlohmann::json::object();
  for (const auto& [name, peer] : modalities) m[name] = {peer.first, "127.0.0.1", peer.second};
  config["DicomModalities"] = m;
  std::ofstream(dir / "orthanc.json") << config.dump(2);
  process_ = std::make_unique<Process>(std::vector<std::string>{"Orthanc", (dir / "orthanc.json").string()}, dir / "orthanc.log");
  for (int i = 0; i < 600; ++i) {
    if (http_get(url() + "/system").status == 200 && listening_on(dicom_port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("Orthanc did not start: " + read_file(dir / "orthanc.log"));
}

nlohmann::json Orthanc::get(const std::string& path) const {
  const HttpReply r = http_get(url() + path);
  if (r.status != 200) return nullptr;
  return nlohmann::json::parse(r.body, nullptr, false);
}

std::string Orthanc::upload(const std::filesystem::path& file) const {
  const HttpReply r = http_post(url() + "/instances", read_file(file), "application/dicom");
  if (r.status != 200) return {};
  const auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("ID") ? j["ID"].get<std::string>() : std::string();
}

}  // namespace radveil::test
