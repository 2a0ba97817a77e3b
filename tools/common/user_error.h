// The one error type of the host tools and the CLI: something the user can
// act on. what() says what went wrong, hint() what to do about it (may be
// empty); `mote` prints both and exits with status 1.
#pragma once

#include <stdexcept>
#include <string>

namespace mote {
namespace tools {

class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& message, std::string hint = std::string())
      : std::runtime_error(message), hint_(std::move(hint)) {}
  const std::string& hint() const { return hint_; }

 private:
  std::string hint_;
};

}  // namespace tools
}  // namespace mote
