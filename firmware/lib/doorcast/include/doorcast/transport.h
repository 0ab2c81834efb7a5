// The byte pipe that the protocol code talks through: one TCP or TLS connection.
//
// The Arduino layer implements it over WiFiClient / WiFiClientSecure, the host tests over POSIX sockets.
// Everything else in this library only ever sees this interface, so it builds and is tested on the host.
#pragma once

#include <cstddef>
#include <cstdint>

namespace doorcast {

class Transport {
 public:
  virtual ~Transport() {}

  // Opens a connection to host:port (TLS is the implementation's business). False if it could not.
  virtual bool connect(const char* host, uint16_t port) = 0;

  // Writes all len bytes. False if the connection failed before they were all handed over.
  virtual bool write(const uint8_t* data, size_t len) = 0;

  // Reads what has arrived, at most cap bytes, waiting up to timeoutMs for the first of them.
  // Returns how many were read (> 0), 0 if none came in time, or -1 once the connection is closed.
  virtual long read(uint8_t* buffer, size_t cap, uint32_t timeoutMs) = 0;

  // Closes the connection; harmless when none is open.
  virtual void close() = 0;
};

}  // namespace doorcast
