// The doorbell's button press, told to the server:
//
//   POST /api/v1/devices/doorbell/ring   Authorization: Bearer <device token>
//   Content-Type: application/json       {"timestamp": <device epoch ms>}   (empty once the clock is unset)
//
// The server's endpoint arrives with its ring feature; a server without it answers 404, which the
// doorbell logs once and otherwise ignores.
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/device_link.h"

namespace doorcast {

const char* const kRingContentType = "application/json";

// The JSON body for a press at timestampMs, or "" (length 0) when timestampMs is 0 (clock not set).
// Returns the length, or 0 as well if it does not fit.
size_t formatRingBody(char* out, size_t cap, uint64_t timestampMs);

enum class RingOutcome {
  kDelivered,    // 2xx: the server has it
  kNotOnServer,  // 404: this server has no ring endpoint yet
  kRefused,      // 401 or another 4xx: retrying will not help
  kRetry,        // no answer, 429, 5xx: worth trying again shortly
};

RingOutcome ringOutcome(const Answer& answer);

// Sends one ring over link (the camera's connection, between two frames).
Answer postRing(DeviceLink& link, uint64_t timestampMs);

}  // namespace doorcast
