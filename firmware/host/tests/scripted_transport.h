// A Transport that plays scripted answers and records what was written, one script per connection, for
// testing DeviceLink without a server.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "doorcast/transport.h"

namespace doorcast_test {

class ScriptedTransport : public doorcast::Transport {
 public:
  // One entry per connection the code will open, each with the answers to its requests in order: an
  // answer becomes readable once a request has been written. After the last one, or at an answer of "",
  // the connection reads as closed (as when the server closed an idle kept-alive connection).
  std::vector<std::vector<std::string>> answers;
  bool refuseConnections = false;

  std::vector<std::string> written;  // per connection
  int connects = 0;
  int closes = 0;

  bool connect(const char*, uint16_t) override {
    if (refuseConnections) return false;
    connects++;
    written.push_back("");
    requests_ = 0;
    at_ = 0;
    open_ = true;
    return true;
  }
  bool write(const uint8_t* data, size_t len) override {
    if (!open_) return false;
    std::string piece(reinterpret_cast<const char*>(data), len);
    if (piece.compare(0, 5, "POST ") == 0 || piece.compare(0, 4, "GET ") == 0) {
      requests_++;
      at_ = 0;
    }
    written.back() += piece;
    return true;
  }
  long read(uint8_t* buffer, size_t cap, uint32_t) override {
    if (!open_) return -1;
    size_t connection = static_cast<size_t>(connects - 1);
    size_t request = requests_ - 1;
    bool scripted = connection < answers.size() && request < answers[connection].size();
    const std::string& answer = scripted ? answers[connection][request] : empty_;
    if (at_ >= answer.size()) return -1;
    size_t n = std::min(cap, answer.size() - at_);
    std::copy(answer.begin() + static_cast<long>(at_), answer.begin() + static_cast<long>(at_ + n), buffer);
    at_ += n;
    return static_cast<long>(n);
  }
  void close() override {
    if (open_) closes++;
    open_ = false;
  }

 private:
  std::string empty_;
  size_t requests_ = 0;
  size_t at_ = 0;
  bool open_ = false;
};

}  // namespace doorcast_test
