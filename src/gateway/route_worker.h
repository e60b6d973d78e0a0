#pragma once
// One route of the node, on a thread of its own: for each study handed to it, decide and
// de-identify (an Export into STATE/routes/<name>/out/<study>, under the recipient's key), deliver
// what was written and not yet delivered, and only then record the study's disclosure (and its
// audit messages). A destination that fails is retried with back-off (doubling, up to the
// route's maximum) without holding up other routes. Every step is idempotent: after a crash the
// same study is simply handed again, and nothing is de-identified, delivered or recorded twice
// that was finished before.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "audit/audit_trail.h"
#include "consent/policy.h"
#include "gateway/destination.h"
#include "gateway/node_config.h"
#include "net/spool.h"
#include "ledger/ledger_keys.h"
#include "pseudonym/secret_key.h"
#include "store/state_store.h"

namespace radveil::gateway {

// What every route shares.
struct NodeServices {
  store::StateStore& store;
  const consent::Policy& policy;
  const ledger::LedgerKeys& keys;
  const pseudonym::SecretKey& site_key;
  audit::AuditTrail& audit;
  net::Spool& spool;
  std::filesystem::path state;
  std::string ae_title;
  // Called when a route has dealt with every instance of a study that was in the spool at
  // `seen` (the study folder's last arrival read before the route looked at it).
  std::function<void(const std::string& route, const std::string& study, std::filesystem::file_time_type seen)> finished;
};

struct RouteStatus {
  std::string name, destination;
  std::uint64_t studies = 0, delivered = 0, quarantined = 0, withheld = 0, disclosures = 0, retries = 0;
  std::size_t queued = 0;
  std::string last_error;        // the destination's words; never a patient value
  std::int64_t last_error_at = 0;
};

class RouteWorker {
 public:
  RouteWorker(Route route, NodeServices& services);
  ~RouteWorker();  // stops and joins
  RouteWorker(const RouteWorker&) = delete;
  RouteWorker& operator=(const RouteWorker&) = delete;

  void enqueue(const std::string& study);  // once: a study already queued stays where it is
  void stop();                             // after the study in hand; the rest stay in the spool
  bool idle() const;                       // nothing queued and nothing in hand
  RouteStatus status() const;

 private:
  void loop();
  void process(const std::string& study);  // DeliveryError when the destination fails

  Route route_;
  NodeServices& services_;
  std::unique_ptr<DestinationClient> destination_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  bool busy_ = false, stop_ = false;
  RouteStatus status_;
  // Per study, the job's own totals (a resumed job reports what earlier runs did too).
  std::map<std::string, std::pair<std::size_t, std::size_t>> refused_;  // study -> quarantined, withheld
  std::thread thread_;
};

}  // namespace radveil::gateway
