// The doorbell's button press, told to the server by a doorbell that posts (one on the link sends a 0x03
// message instead, link.h):
//
//   POST /api/v1/devices/doorbell/ring   Authorization: Bearer <device token>
//   Content-Type: application/json       {"timestamp": <device epoch ms>}   (empty while the clock is unset)
//
// Every doorcast with the link has the endpoint; a 404 is an older server or a URL that does not lead to
// doorcast, which the doorbell logs once and otherwise ignores.
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
  kNotOnServer,  // 404: no ring endpoint at this URL (an older server, or not doorcast)
  kRefused,      // 401 or another 4xx: retrying will not help
  kRetry,        // no answer, 429, 5xx: worth trying again shortly
};

RingOutcome ringOutcome(const Answer& answer);

// Sends one ring over link (the camera's connection, between two frames).
Answer postRing(DeviceLink& link, uint64_t timestampMs);

}  // namespace doorcast
