#include "pseudonym/recipient_key.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>

namespace radveil::pseudonym {

SecretKey recipient_key(const SecretKey& site_key, std::string_view recipient_id) {
  const std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr),
                                                                        &EVP_PKEY_CTX_free);
  std::array<std::uint8_t, SecretKey::kBytes> out{};
  std::size_t length = out.size();
  const auto* salt = reinterpret_cast<const unsigned char*>(kRecipientKeySalt.data());
  const auto* info = reinterpret_cast<const unsigned char*>(recipient_id.data());
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), salt, static_cast<int>(kRecipientKeySalt.size())) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), site_key.bytes().data(), static_cast<int>(site_key.bytes().size())) <= 0 ||
      EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), info, static_cast<int>(recipient_id.size())) <= 0 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &length) <= 0 || length != out.size())
    throw KeyError("the recipient's key cannot be derived (OpenSSL HKDF failed)");
  return SecretKey::from_bytes(out);
}

}  // namespace radveil::pseudonym
