#include "op_harness.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <new>
#include <stdexcept>

#include "mote/interpreter.h"
#include "mote/op_resolver.h"
#include "mote/ops.h"

namespace {

constexpr size_t kAlignment = 16;
constexpr size_t kGuardBytes = 256;
// Fills the arena before allocate() and, after it, everything but the
// persistent section: non-zero, so a kernel relying on memory it did not
// clear fails, and the sentinel the unused bytes must keep through invoke().
constexpr uint8_t kArenaSentinel = 0xCD;

uint8_t guard_byte(size_t i) { return static_cast<uint8_t>(0xA5 ^ (i * 31)); }

struct AlignedDelete {
  void operator()(uint8_t* p) const { ::operator delete[](p, std::align_val_t(kAlignment)); }
};
using AlignedBytes = std::unique_ptr<uint8_t[], AlignedDelete>;

AlignedBytes aligned_bytes(size_t n) {
  return AlignedBytes(static_cast<uint8_t*>(::operator new[](n == 0 ? 1 : n, std::align_val_t(kAlignment))));
}

// Arena between two guard zones, and the model in its own exact-size,
// aligned allocation (so reads past its end are caught by ASan).
class Sandbox {
 public:
  Sandbox(const std::vector<uint8_t>& model, size_t arena_bytes)
      : model_size_(model.size()),
        arena_bytes_(arena_bytes),
        model_(aligned_bytes(model.size())),
        block_(aligned_bytes(arena_bytes + 2 * kGuardBytes)) {
    if (!model.empty()) memcpy(model_.get(), model.data(), model.size());
    original_model_ = model;
    for (size_t i = 0; i < kGuardBytes; ++i) {
      block_[i] = guard_byte(i);
      block_[kGuardBytes + arena_bytes + i] = guard_byte(i);
    }
    memset(arena(), kArenaSentinel, arena_bytes);
  }

  const uint8_t* model() const { return model_.get(); }
  size_t model_size() const { return model_size_; }
  uint8_t* arena() { return block_.get() + kGuardBytes; }
  size_t arena_bytes() const { return arena_bytes_; }

  // Fails the test when a guard byte or the model changed.
  void check() const {
    check_guard(block_.get(), "before the arena start");
    check_guard(block_.get() + kGuardBytes + arena_bytes_, "after the arena end");
    if (model_size_ != 0 && memcmp(model_.get(), original_model_.data(), model_size_) != 0)
      ADD_FAILURE() << "the model bytes were modified during the run (the model must be read-only)";
  }

 private:
  void check_guard(const uint8_t* guard, const char* where) const {
    size_t changed = 0;
    size_t first = 0;
    for (size_t i = 0; i < kGuardBytes; ++i) {
      if (guard[i] != guard_byte(i)) {
        if (changed == 0) first = i;
        ++changed;
      }
    }
    if (changed != 0)
      ADD_FAILURE() << "arena overrun: " << changed << " guard byte(s) changed in the " << kGuardBytes
                    << " bytes " << where << " (first at guard offset " << first << ")";
  }

  size_t model_size_;
  size_t arena_bytes_;
  AlignedBytes model_;
  AlignedBytes block_;
  std::vector<uint8_t> original_model_;
};

bool all_sentinel(const uint8_t* bytes, size_t n) {
  static const std::vector<uint8_t> sentinel(4096, kArenaSentinel);
  for (size_t done = 0; done < n; done += sentinel.size()) {
    if (memcmp(bytes + done, sentinel.data(), std::min(sentinel.size(), n - done)) != 0) return false;
  }
  return true;
}

// One byte range of the arena that the interpreter owns after allocate().
struct ArenaRegion {
  size_t begin = 0, end = 0;
  std::string what;  // for messages: "tensor 3 'conv'", "scratch of node 2", "the persistent section"
};

std::string tensor_label(const mote::Interpreter& interp, int32_t index) {
  const mote::fb::Bytes name = interp.model().tensor(uint32_t(index)).name;
  return "tensor " + std::to_string(index) + " '" +
         std::string(reinterpret_cast<const char*>(name.data), name.data ? name.size : 0) + "'";
}

// The arena as allocate() left it: planned buffers (activations, scratch) and
// the persistent section are in use; every other byte (gaps the alignment and
// the plan leave, the free middle) is unused and must keep the sentinel
// through every invoke(), so a kernel writing past its buffer into unused
// space is caught (writes into another live buffer are the planner tests'
// concern). ggml guards tensors the same way.
class UnusedArena {
 public:
  UnusedArena(const mote::Interpreter& interp, uint8_t* arena, size_t arena_bytes)
      : arena_(arena), arena_bytes_(arena_bytes) {
    std::vector<mote::PlannedBuffer> plan(size_t(interp.memory_plan(nullptr, 0)));
    interp.memory_plan(plan.data(), int(plan.size()));
    for (const mote::PlannedBuffer& b : plan) {
      const size_t begin = b.placement.offset;
      used_.push_back({begin, begin + b.placement.size,
                       b.tensor >= 0 ? tensor_label(interp, b.tensor) : "scratch of node " + std::to_string(b.node)});
    }
    // The interpreter uses the arena rounded down to its alignment (the base
    // is aligned here); the persistent section ends there.
    const size_t usable = arena_bytes / mote::kBufferAlignment * mote::kBufferAlignment;
    persistent_begin_ = usable - interp.arena_persistent_bytes();
    used_.push_back({persistent_begin_, usable, "the persistent section"});
    std::sort(used_.begin(), used_.end(),
              [](const ArenaRegion& a, const ArenaRegion& b) { return a.begin < b.begin; });
  }

  // Sentinel over all but the persistent section: what allocate() left in
  // the planned part (hints, planner work memory) is garbage to the kernels.
  void fill() { memset(arena_, kArenaSentinel, persistent_begin_); }

  // Fails the test when an unused byte lost the sentinel, naming the region
  // that ends closest before the first such byte (the likely writer).
  void check(const char* when) const {
    size_t changed = 0, first = 0;
    size_t cursor = 0;
    for (size_t i = 0; i <= used_.size(); ++i) {
      const size_t gap_end = i < used_.size() ? used_[i].begin : arena_bytes_;
      if (cursor < gap_end && !all_sentinel(arena_ + cursor, gap_end - cursor)) {
        for (size_t at = cursor; at < gap_end; ++at) {
          if (arena_[at] != kArenaSentinel) {
            if (changed == 0) first = at;
            ++changed;
          }
        }
      }
      if (i < used_.size() && used_[i].end > cursor) cursor = used_[i].end;
    }
    if (changed == 0) return;
    const ArenaRegion* before = nullptr;
    for (const ArenaRegion& r : used_)
      if (r.end <= first && (before == nullptr || r.end > before->end)) before = &r;
    std::string culprit = "before any buffer";
    if (before != nullptr)
      culprit = std::to_string(first - before->end) + " byte(s) past the end of " + before->what + " [" +
                std::to_string(before->begin) + ", " + std::to_string(before->end) + ")";
    ADD_FAILURE() << "unused arena written " << when << ": " << changed << " byte(s) lost the sentinel, the first at "
                  << "arena offset " << first << ", " << culprit;
  }

 private:
  uint8_t* arena_;
  size_t arena_bytes_;
  size_t persistent_begin_ = 0;
  std::vector<ArenaRegion> used_;  // sorted by begin; may overlap (in-place ops)
};

mote::Status fail(RunResult* r, std::string message) {
  r->status = mote::Status::kError;
  r->error = std::move(message);
  return r->status;
}

mote::Status set_inputs(mote::Interpreter& interp, const std::vector<std::vector<uint8_t>>& inputs, RunResult* r) {
  if (interp.num_inputs() != inputs.size()) {
    ADD_FAILURE() << "run_model: the model has " << interp.num_inputs() << " inputs, the test gave "
                  << inputs.size();
    return fail(r, "harness: wrong number of inputs");
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    mote::TensorView t = interp.input(i);
    if (t.data == nullptr || t.bytes != inputs[i].size()) {
      ADD_FAILURE() << "run_model: input " << i << " needs " << t.bytes << " bytes ("
                    << mote::dtype_name(t.type) << " x " << t.num_elements() << "), the test gave "
                    << inputs[i].size();
      return fail(r, "harness: wrong input size");
    }
    if (!inputs[i].empty()) memcpy(t.data, inputs[i].data(), inputs[i].size());
  }
  return mote::Status::kOk;
}

void collect_outputs(const mote::Interpreter& interp, RunResult* r) {
  for (size_t i = 0; i < interp.num_outputs(); ++i) {
    mote::TensorView t = interp.output(i);
    const uint8_t* data = static_cast<const uint8_t*>(t.data);
    r->outputs.emplace_back(data, data + (data ? t.bytes : 0));
    r->output_shapes.push_back(t.shape);
    r->output_types.push_back(t.type);
  }
}

uint8_t* g_arena = nullptr;
size_t g_arena_bytes = 0;

// Publishes the arena of the run in progress for harness_arena().
struct ArenaScope {
  ArenaScope(uint8_t* arena, size_t bytes) {
    g_arena = arena;
    g_arena_bytes = bytes;
  }
  ~ArenaScope() {
    g_arena = nullptr;
    g_arena_bytes = 0;
  }
};

mote::OpResolver& all_ops() {
  static mote::OpResolver resolver;
  static bool registered = false;
  if (!registered) {
    registered = true;
    if (mote::register_all_ops(resolver) != mote::Status::kOk)
      ADD_FAILURE() << "register_all_ops failed (resolver capacity " << mote::OpResolver::kCapacity << ")";
  }
  return resolver;
}

}  // namespace

std::vector<RunResult> run_model_steps_with(const mote::OpResolver& resolver, const std::vector<uint8_t>& model,
                                            const std::vector<std::vector<std::vector<uint8_t>>>& steps,
                                            size_t arena_bytes) {
  std::vector<RunResult> results;
  Sandbox box(model, arena_bytes);
  ArenaScope scope(box.arena(), box.arena_bytes());
  mote::Interpreter interp(box.model(), box.model_size(), resolver, box.arena(), box.arena_bytes());

  RunResult first;
  if (interp.allocate() != mote::Status::kOk) {
    fail(&first, interp.error_message());
    first.arena_used = interp.arena_used_bytes();
    results.push_back(std::move(first));
    box.check();
    return results;
  }
  UnusedArena unused(interp, box.arena(), box.arena_bytes());
  unused.fill();
  for (const auto& inputs : steps) {
    RunResult r;
    r.arena_used = interp.arena_used_bytes();
    if (set_inputs(interp, inputs, &r) == mote::Status::kOk) {
      r.status = interp.invoke();
      unused.check(("by invoke " + std::to_string(results.size())).c_str());
      if (r.status == mote::Status::kOk)
        collect_outputs(interp, &r);
      else
        r.error = interp.error_message();
    }
    bool stop = !r.ok();
    results.push_back(std::move(r));
    if (stop) break;
  }
  box.check();
  return results;
}

std::vector<RunResult> run_model_steps(const std::vector<uint8_t>& model,
                                       const std::vector<std::vector<std::vector<uint8_t>>>& steps,
                                       size_t arena_bytes) {
  return run_model_steps_with(all_ops(), model, steps, arena_bytes);
}

RunResult run_model_with(const mote::OpResolver& resolver, const std::vector<uint8_t>& model,
                         const std::vector<std::vector<uint8_t>>& inputs, size_t arena_bytes) {
  std::vector<RunResult> results = run_model_steps_with(resolver, model, {inputs}, arena_bytes);
  return std::move(results.front());
}

RunResult run_model(const std::vector<uint8_t>& model, const std::vector<std::vector<uint8_t>>& inputs,
                    size_t arena_bytes) {
  return run_model_with(all_ops(), model, inputs, arena_bytes);
}

uint8_t* harness_arena() { return g_arena; }
size_t harness_arena_bytes() { return g_arena_bytes; }

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error("cannot read '" + path + "'");
  return bytes;
}

std::string shared_dir() {
  const char* env = getenv("MOTE_SHARED_DIR");
  if (env != nullptr && env[0] != '\0') return env;
#ifdef MOTE_SHARED_DIR
  return MOTE_SHARED_DIR;
#else
  return "../shared";
#endif
}

bool shared_available() {
  std::error_code ec;
  return std::filesystem::is_directory(std::filesystem::path(shared_dir()) / "models", ec);
}

bool running_in_ci() {
  const char* ci = getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}
