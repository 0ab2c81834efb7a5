#include "posix_transport.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>

namespace doorcast_host {

bool PosixTransport::connect(const char* host, uint16_t port) {
  close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  char service[8];
  std::snprintf(service, sizeof service, "%u", static_cast<unsigned>(port));
  addrinfo* found = nullptr;
  if (getaddrinfo(host, service, &hints, &found) != 0) return false;
  for (addrinfo* at = found; at != nullptr && fd_ < 0; at = at->ai_next) {
    int fd = ::socket(at->ai_family, at->ai_socktype, at->ai_protocol);
    if (fd < 0) continue;
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, at->ai_addr, at->ai_addrlen) == 0) {
      int on = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // small posts go out at once, as on the ESP32
      fd_ = fd;
    } else {
      ::close(fd);
    }
  }
  freeaddrinfo(found);
  return fd_ >= 0;
}

bool PosixTransport::write(const uint8_t* data, size_t len) {
  while (len > 0 && fd_ >= 0) {
    ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    len -= static_cast<size_t>(n);
  }
  return len == 0;
}

long PosixTransport::read(uint8_t* buffer, size_t cap, uint32_t timeoutMs) {
  if (fd_ < 0) return -1;
  pollfd waiting{fd_, POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&waiting, 1, static_cast<int>(timeoutMs));
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) return 0;
  if (ready < 0) return -1;
  ssize_t n;
  do {
    n = ::recv(fd_, buffer, cap, 0);
  } while (n < 0 && errno == EINTR);
  return n > 0 ? static_cast<long>(n) : -1;
}

void PosixTransport::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

uint32_t nowMs() {
  return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace doorcast_host
