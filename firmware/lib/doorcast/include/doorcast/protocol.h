// What the doorcast server expects of a device and gives a viewer: paths and media formats.
// docs/api.md is the full reference.
#pragma once

#include <cstddef>
#include <cstdint>

namespace doorcast {

// The doorbell posts here, with "Authorization: Bearer <device token>".
const char* const kFramePath = "/api/v1/devices/doorbell/camera-stream";
const char* const kAudioPath = "/api/v1/devices/doorbell/mic-stream";
// A press, posted (ring.h); over the link it is a 0x03 message instead.
const char* const kRingPath = "/api/v1/devices/doorbell/ring";
// The link: one WebSocket that carries all of the above up and the speaker's audio down (link.h). A server
// without it answers 404, and the doorbell posts as above.
const char* const kLinkPath = "/api/v1/devices/doorbell/link";

// Viewers read these; both are close-delimited, never chunked.
const char* const kCameraStreamPath = "/api/v1/stream/camera";
const char* const kAudioStreamPath = "/api/v1/stream/audio";

// Audio on the wire: raw PCM, 16 kHz, 16-bit signed little-endian, mono.
const uint32_t kSampleRate = 16000;
// The doorbell posts it in chunks of 1024 samples: 2048 bytes, 64 ms.
const size_t kChunkSamples = 1024;
const size_t kChunkBytes = kChunkSamples * 2;

}  // namespace doorcast
