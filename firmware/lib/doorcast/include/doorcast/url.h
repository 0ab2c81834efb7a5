// Where the server is: parsed once from the URL in config.h (or DOORCAST_URL in the host tests).
#pragma once

#include <cstddef>
#include <cstdint>

namespace doorcast {

struct Url {
  bool https;
  char host[96];
  uint16_t port;
  // A path prefix when doorcast is served below the root, without a trailing slash; usually "".
  char basePath[96];
};

// Accepts http://host, https://host, an optional :port and an optional path prefix. False for anything
// else (another scheme, no host, a bad port, parts too long for the fixed fields).
bool parseUrl(const char* text, Url& url);

}  // namespace doorcast
