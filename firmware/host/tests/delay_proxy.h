// A TCP proxy on a loopback port that only adds delay: every byte reaches the other side oneWayMs after it
// arrived, in order, both ways, so a round trip takes 2 x oneWayMs more. This machine's kernel has no
// netem; this stands in for a doorbell far from its server (or on a busy 2.4 GHz network).
#pragma once

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace doorcast_test {

class DelayProxy {
 public:
  DelayProxy(const std::string& host, uint16_t port, uint32_t oneWayMs) : host_(host), port_(port), delay_(oneWayMs) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 16);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    listenPort_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { acceptLoop(); });
  }

  ~DelayProxy() {
    stop_ = true;
    acceptor_.join();
    ::close(listener_);
    for (auto& pipe : pipes_) pipe->stop();
    for (auto& thread : threads_) thread.join();
    for (int fd : fds_) ::close(fd);
  }

  uint16_t port() const { return listenPort_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(listenPort_); }

 private:
  using Clock = std::chrono::steady_clock;

  // One direction of one connection: a reader stamps what arrives, a writer hands it on when due.
  struct Pipe {
    int from, to;
    std::mutex lock;
    std::condition_variable changed;
    std::deque<std::pair<Clock::time_point, std::string>> queue;  // "" marks the end
    bool stopped = false;

    void stop() {
      std::lock_guard<std::mutex> guard(lock);
      stopped = true;
      ::shutdown(from, SHUT_RDWR);
      changed.notify_all();
    }
  };

  static int connectTo(const std::string& host, uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
    int fd = -1;
    for (addrinfo* at = found; at != nullptr && fd < 0; at = at->ai_next) {
      fd = ::socket(at->ai_family, at->ai_socktype, at->ai_protocol);
      if (fd >= 0 && ::connect(fd, at->ai_addr, at->ai_addrlen) != 0) {
        ::close(fd);
        fd = -1;
      }
    }
    freeaddrinfo(found);
    return fd;
  }

  void acceptLoop() {
    while (!stop_) {
      pollfd waiting{listener_, POLLIN, 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      int server = connectTo(host_, port_);
      if (server < 0) {
        ::close(client);
        continue;
      }
      int on = 1;
      setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      fds_.push_back(client);
      fds_.push_back(server);
      start(client, server);
      start(server, client);
    }
  }

  void start(int from, int to) {
    auto pipe = std::make_shared<Pipe>();
    pipe->from = from;
    pipe->to = to;
    pipes_.push_back(pipe);
    threads_.emplace_back([pipe] {
      char buffer[16384];
      for (;;) {
        ssize_t n = ::recv(pipe->from, buffer, sizeof buffer, 0);
        std::lock_guard<std::mutex> guard(pipe->lock);
        pipe->queue.push_back({Clock::now(), n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string()});
        pipe->changed.notify_all();
        if (n <= 0 || pipe->stopped) return;
      }
    });
    std::chrono::milliseconds delay(delay_);
    threads_.emplace_back([pipe, delay] {
      for (;;) {
        std::unique_lock<std::mutex> guard(pipe->lock);
        pipe->changed.wait(guard, [&] { return pipe->stopped || !pipe->queue.empty(); });
        if (pipe->stopped) return;
        auto due = pipe->queue.front().first + delay;
        if (Clock::now() < due) {
          pipe->changed.wait_until(guard, due, [&] { return pipe->stopped; });
          if (pipe->stopped) return;
          continue;
        }
        std::string piece = std::move(pipe->queue.front().second);
        pipe->queue.pop_front();
        guard.unlock();
        if (piece.empty()) {
          ::shutdown(pipe->to, SHUT_WR);
          return;
        }
        if (::send(pipe->to, piece.data(), piece.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(piece.size())) {
          ::shutdown(pipe->from, SHUT_RDWR);
          return;
        }
      }
    });
  }

  std::string host_;
  uint16_t port_;
  uint32_t delay_;
  int listener_;
  uint16_t listenPort_;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::vector<std::shared_ptr<Pipe>> pipes_;
  std::vector<std::thread> threads_;
  std::vector<int> fds_;
};

}  // namespace doorcast_test
