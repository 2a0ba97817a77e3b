#include "cli/progress.h"

#include <stdio.h>
#include <unistd.h>

namespace mote {
namespace cli {

Progress::Progress() : tty_(isatty(STDERR_FILENO) != 0) {}

void Progress::operator()(const std::string& phase, int done, int total) {
  if (tty_) {
    const int width = 30;
    const int filled = total > 0 ? done * width / total : width;
    fprintf(stderr, "\r%-12s [%s%s] %d/%d samples", phase.c_str(), std::string(size_t(filled), '#').c_str(),
            std::string(size_t(width - filled), '.').c_str(), done, total);
    if (done == total) fputc('\n', stderr);
  } else if (done == total) {
    fprintf(stderr, "%s: %d samples\n", phase.c_str(), total);
  }
  fflush(stderr);
}

}  // namespace cli
}  // namespace mote
