#include "gateway/stow_destination.h"

#include <curl/curl.h>
#include <openssl/rand.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace radveil::gateway {
namespace {

constexpr std::size_t kBatchInstances = 100;
constexpr std::uintmax_t kBatchBytes = 64u << 20;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string boundary() {
  unsigned char bytes[12];
  RAND_bytes(bytes, sizeof bytes);
  std::string b = "radveil-";
  const char* hex = "0123456789abcdef";
  for (const unsigned char c : bytes) {
    b += hex[c >> 4];
    b += hex[c & 15];
  }
  return b;
}

std::string file_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in) throw DeliveryError("a de-identified instance cannot be read back");
  return s.str();
}

// The SOP Instance UIDs a STOW-RS response lists as stored (00081199 / 00081155).
std::set<std::string> stored_uids(const std::string& body) {
  std::set<std::string> out;
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("00081199")) return out;
  const auto& items = j["00081199"];
  if (!items.contains("Value") || !items["Value"].is_array()) return out;
  for (const auto& item : items["Value"]) {
    if (!item.is_object() || !item.contains("00081155")) continue;
    const auto& v = item["00081155"];
    if (v.contains("Value") && v["Value"].is_array() && !v["Value"].empty() && v["Value"][0].is_string())
      out.insert(v["Value"][0].get<std::string>());
  }
  return out;
}

}  // namespace

StowDestination::StowDestination(Destination destination) : destination_(std::move(destination)) {}

void StowDestination::deliver(const std::vector<Delivery>& instances, const Acknowledged& acknowledged) {
  const std::string where = destination_.describe();
  std::size_t next = 0;
  while (next < instances.size()) {
    const std::string b = boundary();
    std::string body;
    std::vector<const Delivery*> batch;
    std::uintmax_t bytes = 0;
    for (; next < instances.size() && batch.size() < kBatchInstances && (batch.empty() || bytes < kBatchBytes); ++next) {
      const std::string data = file_bytes(instances[next].file);
      bytes += data.size();
      body += "--" + b + "\r\nContent-Type: application/dicom\r\n\r\n";
      body += data;
      body += "\r\n";
      batch.push_back(&instances[next]);
    }
    body += "--" + b + "--\r\n";

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) throw DeliveryError(where + ": libcurl cannot start");
    curl_slist* raw_headers = nullptr;
    raw_headers = curl_slist_append(raw_headers, ("Content-Type: multipart/related; type=\"application/dicom\"; boundary=" + b).c_str());
    raw_headers = curl_slist_append(raw_headers, "Accept: application/dicom+json");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw_headers, &curl_slist_free_all);
    std::string response;
    curl_easy_setopt(curl.get(), CURLOPT_URL, destination_.url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(destination_.timeout_seconds));
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    const CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK) throw DeliveryError(where + ": " + curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status == 200) {
      for (const auto* d : batch) acknowledged(*d);
      continue;
    }
    if (status == 202) {  // some stored, some not: those it lists are delivered; the rest wait
      const auto stored = stored_uids(response);
      for (const auto* d : batch)
        if (stored.count(d->sop_instance_uid)) acknowledged(*d);
      throw DeliveryError(where + ": the destination stored only some instances (HTTP 202)");
    }
    throw DeliveryError(where + ": HTTP " + std::to_string(status));
  }
}

}  // namespace radveil::gateway
