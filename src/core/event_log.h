#pragma once
// The node's log: one JSON object per line on standard output ({"time", "event", ...}), for
// journald or a log shipper. Events name AE titles, addresses, routes, study folders (keyed
// digests) and counts; never a patient value.
#include <nlohmann/json.hpp>
#include <string>

namespace radveil {

void log_event(const std::string& event, nlohmann::json fields = nlohmann::json::object());

}  // namespace radveil
