#include "hash.hpp"

#include <boost/uuid/detail/sha1.hpp>
#include <cstdio>

namespace shpp::runner {

struct hasher::impl {
  boost::uuids::detail::sha1 sha;
};

hasher::hasher() : impl_(new impl) {}
hasher::~hasher() { delete impl_; }

hasher& hasher::add(std::string_view part) {
  const std::string size = std::to_string(part.size()) + ":";
  impl_->sha.process_bytes(size.data(), size.size());
  impl_->sha.process_bytes(part.data(), part.size());
  return *this;
}

std::string hasher::hex() {
  boost::uuids::detail::sha1::digest_type digest;
  impl_->sha.get_digest(digest);
  std::string out;
  char buf[9];
  for (unsigned word : digest) {
    std::snprintf(buf, sizeof buf, "%08x", word);
    out += buf;
  }
  return out;
}

}  // namespace shpp::runner
