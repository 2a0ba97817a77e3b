// Progress of a long run on stderr (quantize, eval): a one-line bar redrawn
// with \r on a terminal, one line per finished phase otherwise (logs, CI).
#pragma once

#include <string>

namespace mote {
namespace cli {

class Progress {
 public:
  Progress();
  // `phase` ("calibrating", "evaluating") has done `done` of `total` samples.
  void operator()(const std::string& phase, int done, int total);

 private:
  bool tty_;
};

}  // namespace cli
}  // namespace mote
