#include "doorcast/mjpeg_reader.h"

#include <cstring>

#include "doorcast/text.h"

namespace doorcast {

MjpegReader::MjpegReader(uint8_t* frameBuffer, size_t capacity) : buffer_(frameBuffer), capacity_(capacity) {
  reset();
}

void MjpegReader::reset() {
  state_ = kStatus;
  error_ = "";
  head_.clear();
  line_.clear();
  partLength_ = -1;
  partSequence_ = 0;
  partTimestamp_ = 0;
  partHasSequence_ = false;
  remaining_ = 0;
  stored_ = 0;
  fits_ = false;
  frameReady_ = false;
  frame_ = buffer_;
  frameLength_ = 0;
  sequence_ = 0;
  timestamp_ = 0;
  repeat_ = false;
  haveSequence_ = false;
  frames_ = 0;
  oversized_ = 0;
}

bool MjpegReader::streaming() const { return state_ >= kPreamble && state_ != kFailed; }

void MjpegReader::fail(const char* why) {
  state_ = kFailed;
  error_ = why;
}

size_t MjpegReader::feed(const uint8_t* data, size_t len) {
  frameReady_ = false;
  size_t used = 0;
  while (used < len && !frameReady_ && state_ != kFailed && state_ != kEnded) {
    if (state_ == kBody) {
      size_t n = len - used;
      if (n > remaining_) n = static_cast<size_t>(remaining_);
      if (fits_) std::memcpy(buffer_ + stored_, data + used, n);
      stored_ += n;
      used += n;
      remaining_ -= n;
      if (remaining_ == 0) state_ = kAfterBody;
      continue;
    }
    if (line_.add(data[used++])) onLine(line_.text());
  }
  return used;
}

int MjpegReader::boundaryLine(const char* line) const {
  if (line[0] != '-' || line[1] != '-') return 0;
  size_t n = std::strlen(head_.boundary);
  if (std::strncmp(line + 2, head_.boundary, n) != 0) return 0;
  const char* rest = line + 2 + n;
  int kind = 1;
  if (rest[0] == '-' && rest[1] == '-') {
    kind = 2;
    rest += 2;
  }
  while (*rest == ' ' || *rest == '\t') rest++;  // RFC 2046 lets a boundary line end in white space
  return *rest == '\0' ? kind : 0;
}

void MjpegReader::partDone() {
  if (fits_) {
    frameReady_ = true;
    frame_ = buffer_;
    frameLength_ = stored_;
    repeat_ = partHasSequence_ && haveSequence_ && partSequence_ == sequence_;
    sequence_ = partSequence_;
    haveSequence_ = partHasSequence_;
    timestamp_ = partTimestamp_;
    frames_++;
  } else {
    oversized_++;
  }
  partLength_ = -1;
  partSequence_ = 0;
  partTimestamp_ = 0;
  partHasSequence_ = false;
}

void MjpegReader::onLine(const char* line) {
  switch (state_) {
    case kStatus:
      if (!head_.take(line, true)) fail("the answer is not HTTP");
      else state_ = kHead;
      return;
    case kHead:
      if (line[0] != '\0') {
        head_.take(line, false);
        return;
      }
      if (head_.status != 200) {
        fail("the server refused the stream");  // head().status and retryAfterSeconds say how
      } else if (head_.chunked) {
        fail("the stream is chunked: something between here and doorcast re-encoded it");
      } else if (head_.boundary[0] == '\0') {
        fail("the answer is not a multipart stream");
      } else {
        state_ = kPreamble;
      }
      return;
    case kPreamble: {
      // Blank lines (the server's keep-alive before its first frame) and any other preamble are skipped.
      int kind = boundaryLine(line);
      if (kind == 1) state_ = kPartHeaders;
      if (kind == 2) state_ = kEnded;
      return;
    }
    case kPartHeaders: {
      if (line[0] == '\0') {
        if (partLength_ < 0) {
          fail("a part without Content-Length");
          return;
        }
        remaining_ = static_cast<uint64_t>(partLength_);
        fits_ = remaining_ <= capacity_;
        stored_ = 0;
        state_ = remaining_ == 0 ? kAfterBody : kBody;
        return;
      }
      const char* value;
      uint64_t n;
      if ((value = headerValue(line, "Content-Length")) != nullptr) {
        if (!parseNumber(value, n) || n > 0x7FFFFFFF) {
          fail("a part with a bad Content-Length");
          return;
        }
        partLength_ = static_cast<int64_t>(n);
      } else if ((value = headerValue(line, "X-Sequence")) != nullptr && parseNumber(value, n)) {
        partSequence_ = n;
        partHasSequence_ = true;
      } else if ((value = headerValue(line, "X-Timestamp")) != nullptr && parseNumber(value, n)) {
        partTimestamp_ = n;
      }
      return;
    }
    case kAfterBody:
      if (line[0] != '\0') fail("the JPEG is not followed by CR LF: Content-Length was wrong");
      else state_ = kBoundary;
      return;
    case kBoundary: {
      int kind = boundaryLine(line);
      if (kind == 0) {
        fail("a part not followed by the boundary");
        return;
      }
      state_ = kind == 1 ? kPartHeaders : kEnded;
      partDone();
      return;
    }
    default:
      return;
  }
}

}  // namespace doorcast
