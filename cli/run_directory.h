// `mote run MODEL --input FOLDER` for a one-input model: runs every input file
// in the folder (sorted by name, subfolders included, names starting with '.'
// skipped), one fresh state per file, and prints one line per file (the top
// class and its real-valued score of output 0, or its value for a one-value
// output) and a summary (files run, how often each class came first, time).
#pragma once

#include "cli/cli_common.h"
#include "cli/run_command.h"

namespace mote {
namespace cli {

int run_directory(const RunOptions& options, const ModelFile& file);

}  // namespace cli
}  // namespace mote
