#pragma once
// SHA-256 (OpenSSL), of a whole text or streamed in pieces: the spec fingerprint hashes axes too
// long to hold as text (a 10^7-point axis), so it is fed piece by piece.

#include <string>
#include <string_view>

namespace eqsweep {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  std::string hex();  // the digest in lower-case hex; the object is spent afterwards

 private:
  void* ctx_;  // EVP_MD_CTX, kept out of the header
};

std::string sha256_hex(std::string_view data);

}  // namespace eqsweep
