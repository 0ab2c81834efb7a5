#include "doorcast/url.h"

#include <cstring>

#include "doorcast/text.h"

namespace doorcast {

bool parseUrl(const char* text, Url& url) {
  std::memset(&url, 0, sizeof url);
  const char* rest;
  if (std::strncmp(text, "https://", 8) == 0) {
    url.https = true;
    url.port = 443;
    rest = text + 8;
  } else if (std::strncmp(text, "http://", 7) == 0) {
    url.https = false;
    url.port = 80;
    rest = text + 7;
  } else {
    return false;
  }
  size_t hostLength = std::strcspn(rest, ":/?#");
  if (hostLength == 0 || hostLength >= sizeof url.host) return false;
  std::memcpy(url.host, rest, hostLength);
  rest += hostLength;
  if (*rest == ':') {
    rest++;
    size_t digits = std::strspn(rest, "0123456789");
    if (digits == 0 || digits > 5) return false;
    char port[6] = {0};
    std::memcpy(port, rest, digits);
    uint64_t value;
    if (!parseNumber(port, value) || value == 0 || value > 65535) return false;
    url.port = static_cast<uint16_t>(value);
    rest += digits;
  }
  if (*rest != '\0' && *rest != '/') return false;  // a query or fragment has no meaning here
  size_t pathLength = std::strlen(rest);
  while (pathLength > 0 && rest[pathLength - 1] == '/') pathLength--;  // "/" and "/base/" end without it
  if (pathLength >= sizeof url.basePath) return false;
  std::memcpy(url.basePath, rest, pathLength);
  return true;
}

}  // namespace doorcast
