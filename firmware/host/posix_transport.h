// doorcast::Transport over a POSIX TCP socket, for the host tests: plain HTTP only.
#pragma once

#include <random>

#include "doorcast/link.h"
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

// The link's clock and random numbers on the host.
class HostPlatform : public doorcast::LinkPlatform {
 public:
  HostPlatform() : random_(std::random_device()()) {}
  uint32_t millis() override { return nowMs(); }
  uint32_t random() override { return static_cast<uint32_t>(random_()); }

 private:
  std::mt19937 random_;
};

}  // namespace doorcast_host
