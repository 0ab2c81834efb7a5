// Reads one whole answer to a request, fed in pieces as they arrive, so that the connection can carry the
// next request. The body may come with a Content-Length, chunked (Tomcat chunks its error answers), or
// until the server closes; its first kBodyKept bytes are kept for the log and for the JSON fields.
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/http.h"

namespace doorcast {

class ResponseReader {
 public:
  static const size_t kBodyKept = 384;

  ResponseReader() { reset(); }
  void reset();

  // Takes bytes of the answer; returns how many it used (fewer than len only once the answer is done).
  size_t feed(const uint8_t* data, size_t len);
  // The connection closed: that ends a body sent without a length, and is an error otherwise.
  void endOfStream();

  bool done() const { return state_ == kDone; }
  bool failed() const { return state_ == kFailed; }
  // Whether the connection can carry another request after this answer.
  bool reusable() const;

  const ResponseHead& head() const { return head_; }
  const char* body() const { return body_; }  // NUL-terminated, at most kBodyKept bytes
  size_t bodyLength() const { return kept_; }

 private:
  enum State { kStatus, kHeaders, kBody, kChunkSize, kChunkData, kChunkEnd, kTrailer, kUntilClose, kDone, kFailed };

  void onLine(const char* line);
  void keep(const uint8_t* data, size_t len);

  State state_;
  ResponseHead head_;
  LineBuffer line_;
  uint64_t remaining_;
  char body_[kBodyKept + 1];
  size_t kept_;
};

// The number after "key": in a flat JSON answer, such as "clients" in {"success":true,"clients":3}.
bool jsonNumber(const char* json, const char* key, int64_t& value);
// true or false after "key":.
bool jsonBool(const char* json, const char* key, bool& value);
// The string after "key": (escapes left as they are), cut to fit out; false if absent.
bool jsonString(const char* json, const char* key, char* out, size_t cap);

}  // namespace doorcast
