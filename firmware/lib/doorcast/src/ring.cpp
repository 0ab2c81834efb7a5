#include "doorcast/ring.h"

#include "doorcast/protocol.h"
#include "doorcast/text.h"

namespace doorcast {

size_t formatRingBody(char* out, size_t cap, uint64_t timestampMs) {
  TextBuilder body(out, cap);
  if (timestampMs > 0) body.add("{\"timestamp\":").addNumber(timestampMs).add("}");
  return body.finish();
}

RingOutcome ringOutcome(const Answer& answer) {
  if (answer.ok()) return RingOutcome::kDelivered;
  if (answer.status == 404) return RingOutcome::kNotOnServer;
  if (answer.status == 0 || answer.status == 429 || answer.status >= 500) return RingOutcome::kRetry;
  return RingOutcome::kRefused;
}

Answer postRing(DeviceLink& link, uint64_t timestampMs) {
  char body[48];
  size_t length = formatRingBody(body, sizeof body, timestampMs);
  Span span = {reinterpret_cast<const uint8_t*>(body), length};
  return link.post(kRingPath, kRingContentType, &span, 1);
}

}  // namespace doorcast
