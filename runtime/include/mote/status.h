// Every fallible runtime call returns a Status. The human-readable reason is
// kept by the object that failed (Interpreter::error_message()), so a Status is
// one byte and costs nothing on the success path.
#pragma once

namespace mote {

enum class Status : unsigned char {
  kOk = 0,
  kError = 1,
};

inline bool ok(Status s) { return s == Status::kOk; }

}  // namespace mote

#define MOTE_RETURN_IF_ERROR(expr)            \
  do {                                        \
    ::mote::Status mote_status_ = (expr);     \
    if (mote_status_ != ::mote::Status::kOk) { \
      return mote_status_;                    \
    }                                         \
  } while (0)
