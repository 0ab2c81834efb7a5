#include "doorcast/response_reader.h"

#include <cstring>

#include "doorcast/text.h"

namespace doorcast {

const size_t ResponseReader::kBodyKept;

void ResponseReader::reset() {
  state_ = kStatus;
  head_.clear();
  line_.clear();
  remaining_ = 0;
  kept_ = 0;
  body_[0] = '\0';
}

bool ResponseReader::reusable() const {
  return state_ == kDone && !head_.connectionClose && (head_.chunked || head_.contentLength >= 0);
}

void ResponseReader::keep(const uint8_t* data, size_t len) {
  size_t room = kBodyKept - kept_;
  size_t n = len < room ? len : room;
  std::memcpy(body_ + kept_, data, n);
  kept_ += n;
  body_[kept_] = '\0';
}

size_t ResponseReader::feed(const uint8_t* data, size_t len) {
  size_t used = 0;
  while (used < len && state_ != kDone && state_ != kFailed) {
    if (state_ == kBody || state_ == kChunkData || state_ == kUntilClose) {
      size_t n = len - used;
      if (state_ != kUntilClose && n > remaining_) n = static_cast<size_t>(remaining_);
      keep(data + used, n);
      used += n;
      if (state_ == kUntilClose) continue;
      remaining_ -= n;
      if (remaining_ == 0) state_ = state_ == kBody ? kDone : kChunkEnd;
      continue;
    }
    if (line_.add(data[used++])) onLine(line_.text());
  }
  return used;
}

void ResponseReader::onLine(const char* line) {
  switch (state_) {
    case kStatus:
      state_ = head_.take(line, true) ? kHeaders : kFailed;
      return;
    case kHeaders:
      if (line[0] != '\0') {
        head_.take(line, false);
        return;
      }
      if (head_.status == 204 || head_.status == 304 || head_.status < 200) {
        state_ = kDone;
      } else if (head_.chunked) {
        state_ = kChunkSize;
      } else if (head_.contentLength >= 0) {
        remaining_ = static_cast<uint64_t>(head_.contentLength);
        state_ = remaining_ == 0 ? kDone : kBody;
      } else {
        state_ = kUntilClose;
      }
      return;
    case kChunkSize: {
      // hex digits, then perhaps ";extension"
      uint64_t size = 0;
      size_t i = 0;
      for (; line[i] != '\0' && line[i] != ';' && line[i] != ' '; i++) {
        char c = line[i];
        int digit = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (digit < 0 || size > (UINT64_MAX >> 4)) {
          state_ = kFailed;
          return;
        }
        size = size * 16 + static_cast<uint64_t>(digit);
      }
      if (i == 0) {
        state_ = kFailed;
        return;
      }
      remaining_ = size;
      state_ = size == 0 ? kTrailer : kChunkData;
      return;
    }
    case kChunkEnd:
      state_ = line[0] == '\0' ? kChunkSize : kFailed;
      return;
    case kTrailer:
      if (line[0] == '\0') state_ = kDone;
      return;
    default:
      return;
  }
}

void ResponseReader::endOfStream() {
  if (state_ == kUntilClose) {
    state_ = kDone;
  } else if (state_ != kDone) {
    state_ = kFailed;
  }
}

namespace {

const char* afterKey(const char* json, const char* key) {
  size_t n = std::strlen(key);
  for (const char* at = std::strchr(json, '"'); at != nullptr; at = std::strchr(at + 1, '"')) {
    if (std::strncmp(at + 1, key, n) == 0 && at[n + 1] == '"') {
      const char* value = at + n + 2;
      while (*value == ' ') value++;
      if (*value != ':') continue;
      value++;
      while (*value == ' ') value++;
      return value;
    }
  }
  return nullptr;
}

}  // namespace

bool jsonNumber(const char* json, const char* key, int64_t& value) {
  const char* at = afterKey(json, key);
  if (at == nullptr) return false;
  bool negative = *at == '-';
  if (negative) at++;
  if (*at < '0' || *at > '9') return false;
  int64_t n = 0;
  for (; *at >= '0' && *at <= '9'; at++) n = n * 10 + (*at - '0');
  value = negative ? -n : n;
  return true;
}

bool jsonBool(const char* json, const char* key, bool& value) {
  const char* at = afterKey(json, key);
  if (at == nullptr) return false;
  if (std::strncmp(at, "true", 4) == 0) {
    value = true;
    return true;
  }
  if (std::strncmp(at, "false", 5) == 0) {
    value = false;
    return true;
  }
  return false;
}

bool jsonString(const char* json, const char* key, char* out, size_t cap) {
  const char* at = afterKey(json, key);
  if (at == nullptr || *at != '"' || cap == 0) return false;
  at++;
  size_t n = 0;
  while (at[n] != '\0' && !(at[n] == '"' && (n == 0 || at[n - 1] != '\\'))) n++;
  if (n >= cap) n = cap - 1;
  std::memcpy(out, at, n);
  out[n] = '\0';
  return true;
}

}  // namespace doorcast
