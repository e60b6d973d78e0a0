#include "net/dicom_listener.h"

#include <arpa/inet.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dul.h>
#include <dcmtk/dcmnet/scpcfg.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/event_log.h"
#include "net/association_handoff.h"
#include "net/connection_gate.h"
#include "net/dicom_tls.h"
#include "net/intake_scp.h"

namespace radveil::net {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(200);
constexpr auto kDroppedSummaryEvery = std::chrono::seconds(60);
constexpr auto kRoomCheckEvery = std::chrono::seconds(1);

std::string trimmed(const char* text) {
  std::string s(text ? text : "");
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// The numeric addresses a configured host stands for (a name is resolved once, at start).
std::vector<std::string> addresses_of(const std::string& host) {
  std::vector<std::string> out;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return {host};
  for (const addrinfo* a = found; a; a = a->ai_next) {
    char text[NI_MAXHOST];
    if (getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) == 0) out.push_back(text);
  }
  freeaddrinfo(found);
  return out;
}

std::string numeric_host(const sockaddr_storage& address, socklen_t length) {
  char text[NI_MAXHOST];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0)
    return "unknown";
  return text;
}

int open_listening_socket(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw std::runtime_error(std::string("cannot listen: ") + std::strerror(errno));
  const int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("cannot listen on port " + std::to_string(port) + ": " + why);
  }
  return fd;
}

void reject(ReceivedAssociation& r, T_ASC_RejectParametersResult result, T_ASC_RejectParametersSource source,
            T_ASC_RejectParametersReason reason) {
  T_ASC_RejectParameters rej{result, source, reason};
  ASC_rejectAssociation(r.association, &rej);
  release(r);
}

}  // namespace

// Why a connection ended before it was an association.
enum class Dropped { No, Closed, Timeout, Crowded, NotDicom, Stopping };

// Everything the accepting thread shares with the connections' threads.
struct DicomListener::State {
  struct Connection {
    int fd = -1;  // ours; DCMTK reads and closes a duplicate of it
    std::string host;
    bool active = false;
    Dropped dropped = Dropped::No;
  };
  explicit State(const ListenSettings& s)
      : gate(s.max_pending_connections, s.max_pending_per_host, std::chrono::seconds(std::min(s.request_seconds, s.timeout_seconds))) {}

  ConnectionGate gate;
  std::mutex mutex;
  std::condition_variable ended;
  std::map<std::uint64_t, Connection> connections;
  int threads = 0;

  void drop(std::uint64_t id, Dropped why) {  // with `mutex` held
    const auto it = connections.find(id);
    if (it == connections.end()) return;
    it->second.dropped = why;
    ::shutdown(it->second.fd, SHUT_RDWR);  // wakes the connection's thread from any read
  }
};

DicomListener::DicomListener(const ListenSettings& settings, Spool& spool, ListenerCounters& counters)
    : settings_(settings), spool_(spool), counters_(counters) {}

DicomListener::~DicomListener() = default;

void DicomListener::run() {
  DcmSCPConfig config;
  config.setAETitle(settings_.ae_title.c_str());
  config.setMaxReceivePDULength(settings_.max_pdu);
  config.setACSETimeout(static_cast<Uint32>(settings_.timeout_seconds));
  config.setDIMSETimeout(static_cast<Uint32>(settings_.timeout_seconds));
  config.setDIMSEBlockingMode(DIMSE_NONBLOCKING);  // a stalled sender times out instead of holding a slot
  const DcmSharedSCPConfig shared(config);

  // Peers are known by their numeric address (no reverse lookup: faster, and not spoofable by DNS).
  dcmDisableGethostbyaddr.set(OFTrue);
  std::vector<std::pair<std::string, std::vector<std::string>>> allowed_callers;
  for (const auto& a : settings_.allow)
    allowed_callers.push_back({a.ae_title, a.host.empty() ? std::vector<std::string>{} : addresses_of(a.host)});
  std::unique_ptr<DcmTLSTransportLayer> tls;  // outlives every connection made with it
  if (settings_.tls) tls = tls_layer(*settings_.tls, NET_ACCEPTOR);
  const int listening = open_listening_socket(settings_.port);
  const int request_seconds = std::min(settings_.request_seconds, settings_.timeout_seconds);
  State state(settings_);
  const IntakeEvents events{[this] { ++counters_.stored; }, [this](const std::string& why) {
                              ++counters_.refused;
                              if (why == "out-of-resources") ++counters_.out_of_resources;
                            }};

  // One connection, on its own thread: its association request, the checks, and its service.
  const auto serve = [&, this](std::uint64_t id, int fd) {
    const int handed = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    ReceivedAssociation r;
    if (handed >= 0) r = receive_association(handed, tls.get(), request_seconds, settings_.max_pdu);
    else r.condition = DUL_NETWORKCLOSED;
    Dropped dropped = Dropped::No;
    {
      std::lock_guard lock(state.mutex);
      const bool was_pending = state.gate.leave(id);
      dropped = state.connections[id].dropped;
      if (dropped == Dropped::No && r.condition.bad())
        dropped = r.condition == DUL_READTIMEOUT ? Dropped::Timeout
                  : (r.condition == DUL_NETWORKCLOSED || r.condition == DUL_PEERABORTEDASSOCIATION) ? Dropped::Closed
                                                                                                  : Dropped::NotDicom;
      if (dropped == Dropped::No && !was_pending) dropped = Dropped::Timeout;
      // DCMTK reports a connection that closed before sending anything as a received request
      // with nothing in it: no AE titles, no presentation context.
      if (dropped == Dropped::No && trimmed(r.association->params->DULparams.callingAPTitle).empty() &&
          trimmed(r.association->params->DULparams.calledAPTitle).empty())
        dropped = ASC_countPresentationContexts(r.association->params) == 0 ? Dropped::Closed : Dropped::NotDicom;
      counters_.pending = static_cast<int>(state.gate.pending());
    }
    const auto finish = [&] {
      std::lock_guard lock(state.mutex);
      ::close(state.connections[id].fd);
      state.connections.erase(id);
      --state.threads;
      state.ended.notify_all();
    };
    switch (dropped) {
      case Dropped::No: break;
      case Dropped::Closed: ++counters_.dropped_closed; break;
      case Dropped::Timeout: ++counters_.dropped_timeout; break;
      case Dropped::Crowded: ++counters_.dropped_crowded; break;
      case Dropped::NotDicom: ++counters_.dropped_not_dicom; break;
      case Dropped::Stopping: break;
    }
    if (dropped != Dropped::No) {
      release(r);
      finish();
      return;
    }
    const std::string calling = trimmed(r.association->params->DULparams.callingAPTitle);
    const std::string called = trimmed(r.association->params->DULparams.calledAPTitle);
    std::string host;
    {
      std::lock_guard lock(state.mutex);
      host = state.connections[id].host;
    }
    bool allowed = false;
    for (const auto& [ae, hosts] : allowed_callers)
      allowed |= ae == calling && (hosts.empty() || std::find(hosts.begin(), hosts.end(), host) != hosts.end());
    const auto refuse = [&](const char* why, T_ASC_RejectParametersResult result, T_ASC_RejectParametersSource source,
                            T_ASC_RejectParametersReason reason) {
      log_event("association-rejected", {{"calling_ae", calling}, {"peer", host}, {"reason", why}});
      ++counters_.rejected;
      reject(r, result, source, reason);
      finish();
    };
    if (!allowed)
      return refuse("calling AE title or host not allowed", ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER,
                    ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED);
    if (called != settings_.ae_title)
      return refuse("called AE title is not the node's", ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER,
                    ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED);
    bool slot = false;
    {
      std::lock_guard lock(state.mutex);
      if (counters_.active < settings_.max_associations) {
        ++counters_.active;
        state.connections[id].active = slot = true;
      }
    }
    if (!slot)
      return refuse("max_associations reached", ASC_RESULT_REJECTEDTRANSIENT, ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
                    ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED);
    if (accept_contexts(r.association->params).bad()) {
      --counters_.active;
      return refuse("no presentation context can be accepted", ASC_RESULT_REJECTEDTRANSIENT,
                    ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED, ASC_REASON_SP_PRES_TEMPORARYCONGESTION);
    }
    log_event("association-accepted", {{"calling_ae", calling}, {"peer", host}});
    ++counters_.associations;
    set_read_timeout(fd, settings_.timeout_seconds);  // a peer that stops mid-message loses the association
    {
      IntakeScp scp(spool_, events, r.association);
      scp.setSharedConfig(shared);
      scp.run(r.association);  // negotiates, serves until release, abort or time-out, and frees the association
    }
    r.association = nullptr;
    release(r);  // the connection's own network
    --counters_.active;
    finish();
  };

  std::uint64_t next_id = 0;
  auto last_summary = Clock::now(), last_room_check = Clock::time_point{};
  std::uint64_t summarised = 0;
  const auto dropped_total = [this] {
    return counters_.dropped_closed + counters_.dropped_timeout + counters_.dropped_crowded + counters_.dropped_not_dicom;
  };
  // Connections that never became associations are counted, and summarised in the log once a
  // minute (a line each would bury the real rejections under port scans and health checks).
  const auto summarise = [&] {
    if (dropped_total() == summarised) return;
    summarised = dropped_total();
    log_event("connections-dropped", {{"closed", counters_.dropped_closed.load()},
                                      {"timeout", counters_.dropped_timeout.load()},
                                      {"crowded", counters_.dropped_crowded.load()},
                                      {"not_dicom", counters_.dropped_not_dicom.load()}});
  };
  while (!stop_) {
    pollfd p{listening, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(kPoll.count()));
    const auto now = Clock::now();
    for (;;) {
      sockaddr_storage address{};
      socklen_t length = sizeof address;
      const int fd = ::accept4(listening, reinterpret_cast<sockaddr*>(&address), &length, SOCK_CLOEXEC);
      if (fd < 0) break;  // nothing more now (or a connection that went away already)
      const std::string host = numeric_host(address, length);
      std::lock_guard lock(state.mutex);
      const std::uint64_t id = ++next_id;
      state.connections[id] = {fd, host, false, Dropped::No};
      for (const auto old : state.gate.admit(id, host, now)) state.drop(old, Dropped::Crowded);
      counters_.pending = static_cast<int>(state.gate.pending());
      ++state.threads;
      std::thread(serve, id, fd).detach();
    }
    {
      std::lock_guard lock(state.mutex);
      for (const auto id : state.gate.expired(now)) state.drop(id, Dropped::Timeout);
      counters_.pending = static_cast<int>(state.gate.pending());
    }
    if (now - last_room_check >= kRoomCheckEvery) {  // at start too: intake answers A700 until there is room
      last_room_check = now;
      const bool paused = !spool_.has_room();
      if (paused != counters_.intake_paused.exchange(paused))
        log_event(paused ? "intake-paused" : "intake-resumed",
                  {{"free_mb", spool_.free_bytes() >> 20}, {"min_free_mb", settings_.min_free_mb}});
    }
    if (now - last_summary >= kDroppedSummaryEvery) {
      last_summary = now;
      summarise();
    }
  }
  // Drain: no new connections; those still sending their request go now; associations in
  // progress get timeout_seconds to finish, then their connections are closed.
  ::close(listening);
  std::unique_lock lock(state.mutex);
  for (const auto id : state.gate.all()) state.drop(id, Dropped::Stopping);
  state.ended.wait_for(lock, std::chrono::seconds(settings_.timeout_seconds), [&] { return state.threads == 0; });
  for (auto& [id, c] : state.connections) state.drop(id, Dropped::Stopping);
  state.ended.wait(lock, [&] { return state.threads == 0; });
  lock.unlock();
  summarise();
}

}  // namespace radveil::net
