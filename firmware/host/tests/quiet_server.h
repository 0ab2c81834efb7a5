// The live tests compare what they send with what comes back byte for byte, so they need a server that no
// other doorbell sends to: on one with the simulated doorbell on (./mvnw spring-boot:run as the README
// starts it), the streams carry its frames and chime between the test's. busyServer() tells, by watching
// the server's counters of frames and audio chunks received while the test sends nothing.
#pragma once

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "doorcast/url.h"
#include "posix_transport.h"

namespace doorcast_test {

// The number after "name": in the stats JSON, or -1.
inline long long statsCounter(const std::string& json, const std::string& name) {
  size_t at = json.find("\"" + name + "\":");
  if (at == std::string::npos) return -1;
  return std::atoll(json.c_str() + at + name.size() + 3);
}

// GET /api/v1/stream/stats, whole ("Connection: close"); "" when there is no answer.
inline std::string fetchStats(const doorcast::Url& server, const std::string& viewerToken) {
  doorcast_host::PosixTransport transport;
  if (!transport.connect(server.host, server.port)) return "";
  std::string request = "GET " + std::string(server.basePath) + "/api/v1/stream/stats HTTP/1.1\r\nHost: " +
                        server.host + "\r\nConnection: close\r\n";
  if (!viewerToken.empty()) request += "Authorization: Bearer " + viewerToken + "\r\n";
  request += "\r\n";
  if (!transport.write(reinterpret_cast<const uint8_t*>(request.data()), request.size())) return "";
  std::string all;
  uint8_t chunk[4096];
  long n;
  while ((n = transport.read(chunk, sizeof chunk, 3000)) > 0) all.append(reinterpret_cast<char*>(chunk), static_cast<size_t>(n));
  return all;
}

// Why the server is not quiet ("another doorbell sends to it: ..."), or "" when nothing else sends to it.
inline std::string busyServer(const doorcast::Url& server, const std::string& viewerToken) {
  std::string before = fetchStats(server, viewerToken);
  // Longer than the gap between two frames of a doorbell at 2 fps, and between its audio chunks.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  std::string after = fetchStats(server, viewerToken);
  long long frames = statsCounter(after, "framesReceived") - statsCounter(before, "framesReceived");
  long long chunks = statsCounter(after, "audioChunksReceived") - statsCounter(before, "audioChunksReceived");
  if (statsCounter(before, "framesReceived") < 0 || statsCounter(after, "framesReceived") < 0) return "";
  if (frames <= 0 && chunks <= 0) return "";
  return "another doorbell sends to this server (" + std::to_string(frames) + " frames and " +
         std::to_string(chunks) +
         " audio chunks arrived in 0.7 s while this test sent nothing), so what comes back is not only this test's: "
         "start doorcast with --doorcast.demo.enabled=false for these checks (docs/esp32.md)";
}

}  // namespace doorcast_test
