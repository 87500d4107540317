/* libcrypto's C API for Swift, from the system's OpenSSL 3 (Debian: libssl-dev). The headers
 * are not ours: what Swift may assume about their pointers, and which types are reference
 * counted, is in COpenSSL.apinotes. */
#ifndef COPENSSL_H
#define COPENSSL_H

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#endif
