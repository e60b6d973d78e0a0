#pragma once
// Each recipient's pseudonymisation key, derived from the site key: HKDF-SHA256 (RFC 5869) with
// the site key as input keying material, the salt "radveil recipient key v1" and the recipient's
// ID as info. Two recipients' datasets share no pseudonym, UID or date shift; every export to the
// same recipient agrees with the earlier ones; the site key alone re-derives any recipient's.
#include <string_view>

#include "pseudonym/secret_key.h"

namespace radveil::pseudonym {

inline constexpr std::string_view kRecipientKeySalt = "radveil recipient key v1";

SecretKey recipient_key(const SecretKey& site_key, std::string_view recipient_id);

}  // namespace radveil::pseudonym
