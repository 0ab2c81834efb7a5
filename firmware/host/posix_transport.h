// doorcast::Transport over a POSIX TCP socket, for the host tests: plain HTTP only.
#pragma once

#include "doorcast/transport.h"

namespace doorcast_host {

class PosixTransport : public doorcast::Transport {
 public:
  PosixTransport() : fd_(-1) {}
  ~PosixTransport() override { close(); }
  PosixTransport(const PosixTransport&) = delete;
  PosixTransport& operator=(const PosixTransport&) = delete;

  bool connect(const char* host, uint16_t port) override;
  bool write(const uint8_t* data, size_t len) override;
  long read(uint8_t* buffer, size_t cap, uint32_t timeoutMs) override;
  void close() override;

 private:
  int fd_;
};

// Milliseconds on a monotonic clock, wrapping like the ESP32's millis().
uint32_t nowMs();

}  // namespace doorcast_host
