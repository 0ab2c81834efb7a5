// A scripted server on a loopback port for the link's tests: each connection it accepts is handed to the
// test's handler on a thread of its own, with helpers to read the request head and the client's frames.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "doorcast/websocket.h"

namespace doorcast_test {

class FakeServer {
 public:
  using Handler = std::function<void(int fd)>;

  explicit FakeServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 8);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeServer() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }
  uint16_t port() const { return port_; }
  int connections() const { return connections_; }

  // The request head up to its blank line; "" if the connection ended first.
  static std::string readHead(int fd) {
    std::string head;
    char c;
    while (head.size() < 8192 && ::recv(fd, &c, 1, 0) == 1) {
      head += c;
      if (head.size() >= 4 && head.compare(head.size() - 4, 4, "\r\n\r\n") == 0) return head;
    }
    return "";
  }

  // The value of a header in a head, "" if absent.
  static std::string header(const std::string& head, const std::string& name) {
    size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    at += name.size() + 4;
    return head.substr(at, head.find("\r\n", at) - at);
  }

  static bool sendAll(int fd, const std::string& bytes) {
    return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }

  // A 101 answering this head's key, right.
  static std::string switching(const std::string& head) {
    char accept[29];
    doorcast::webSocketAccept(header(head, "Sec-WebSocket-Key").c_str(), accept);
    return std::string("HTTP/1.1 101 \r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: ") +
           accept + "\r\n\r\n";
  }

  // An unmasked frame, as a server sends.
  static std::string frame(uint8_t opcode, const std::string& payload, bool fin = true) {
    uint8_t header[doorcast::kMaxFrameHeader];
    size_t n = doorcast::encodeFrameHeader(header, opcode, fin, payload.size(), nullptr);
    return std::string(reinterpret_cast<char*>(header), n) + payload;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd waiting{listener_, POLLIN, 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      connections_++;
      handler_(fd);
      ::close(fd);
    }
  }

  Handler handler_;
  int listener_;
  uint16_t port_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

// The client's side of one connection as the server reads it: its messages and control frames, which a
// client must mask.
class Peer {
 public:
  struct Received {
    uint8_t opcode = 0;
    std::string payload;
  };

  explicit Peer(int fd) : fd_(fd), buffer_(256 * 1024), reader_(buffer_.data(), buffer_.size(), true) {}

  // The next whole message or control frame; false when the connection ended, the frames were wrong, or
  // nothing came within timeoutMs.
  bool read(Received& out, int timeoutMs = 3000) {
    for (;;) {
      while (!pending_.empty()) {
        size_t used = reader_.feed(reinterpret_cast<const uint8_t*>(pending_.data()), pending_.size());
        pending_.erase(0, used);
        if (reader_.failed()) return false;
        if (reader_.ready()) {
          out.opcode = reader_.opcode();
          out.payload.assign(reinterpret_cast<const char*>(reader_.payload()), reader_.length());
          return true;
        }
      }
      pollfd waiting{fd_, POLLIN, 0};
      if (::poll(&waiting, 1, timeoutMs) <= 0) return false;
      char chunk[4096];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      pending_.assign(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
  std::vector<uint8_t> buffer_;
  doorcast::MessageReader reader_;
  std::string pending_;
};

}  // namespace doorcast_test
