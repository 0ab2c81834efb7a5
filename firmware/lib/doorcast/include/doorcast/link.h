// The doorbell's link: one WebSocket to GET /api/v1/devices/doorbell/link that carries camera frames,
// audio and rings up, and the speaker's audio and the server's notices down (websocket.h has the wire
// format). One connection, so one TLS session on an ESP32, where each costs tens of KB of RAM.
//
// LinkClient is used from one task: it opens the link (the upgrade, checked to the Sec-WebSocket-Accept),
// sends messages masked as RFC 6455 asks of a client, and poll() reads what the server sent: answers its
// pings, pings it when the link has been quiet, hands on speaker audio and notices, and answers its close.
// A 401 to the upgrade is a wrong token; a 404 is a server without the link, which the doorbell meets by
// posting as before (device_link.h). After a lost link, maintain() opens a new one when the backoff says.
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/backoff.h"
#include "doorcast/device_link.h"
#include "doorcast/transport.h"
#include "doorcast/url.h"
#include "doorcast/websocket.h"

namespace doorcast {

// What the link needs of the device besides a connection: a millisecond clock that may wrap (millis())
// and random numbers for the WebSocket key and the masks (esp_random() on an ESP32).
class LinkPlatform {
 public:
  virtual ~LinkPlatform() {}
  virtual uint32_t millis() = 0;
  virtual uint32_t random() = 0;
};

// What comes down the link.
class LinkListener {
 public:
  virtual ~LinkListener() {}
  // When the link opens and whenever it changes: whether anyone views the camera, listens to the mic.
  virtual void onWatching(bool camera, bool audio) { (void)camera, (void)audio; }
  // A message the server did not take, as a POST would have been answered 4xx.
  virtual void onRefused(const Notice& notice) { (void)notice; }
  // 0x11: PCM a viewer talks, 16 kHz 16-bit mono, in order.
  virtual void onSpeakerAudio(uint64_t sequence, const uint8_t* pcm, size_t bytes) {
    (void)sequence, (void)pcm, (void)bytes;
  }
};

struct LinkPolicy {
  uint32_t answerTimeoutMs;  // for the upgrade's answer
  uint32_t pingAfterMs;      // ping when either side has been quiet this long
  uint32_t deadAfterMs;      // the link is lost when the server has been silent this long
  uint32_t stableAfterMs;    // a link open this long resets the backoff
  uint32_t closeWaitMs;      // how long to wait for the server's close after ours

  LinkPolicy()
      : answerTimeoutMs(5000), pingAfterMs(5000), deadAfterMs(15000), stableAfterMs(10000), closeWaitMs(1000) {}
};

enum class LinkOutcome {
  kOpen,        // 101 with the right Sec-WebSocket-Accept
  kNoLink,      // 404: the server has no link; post instead
  kWrongToken,  // 401: the token in config.h is wrong
  kRefused,     // another status (3xx, 429, 5xx...): try again when the backoff says
  kFailed,      // no connection, no answer in time, or not a WebSocket answer
  kWaiting,     // maintain(): the backoff's wait is not over
};

class LinkClient {
 public:
  // buffer holds one message from the server (the largest is speaker audio); capacity includes a NUL.
  LinkClient(Transport& transport, const Url& server, const char* token, LinkPlatform& platform,
             LinkListener& listener, uint8_t* buffer, size_t capacity, const LinkPolicy& policy = LinkPolicy());

  // Connects and upgrades; blocks until the server answered or answerTimeoutMs passed.
  LinkOutcome open();
  // Opens the link if it is closed and the backoff's wait is over, and feeds the outcome to the backoff.
  LinkOutcome maintain();
  bool isOpen() const { return open_; }

  // One binary message [type][id][timestamp][spans...]. False when the link was lost (it is then closed).
  bool send(uint8_t type, uint64_t id, uint64_t timestampMs, const Span* spans, size_t count);
  bool sendRing(uint64_t pressCounter, uint64_t timestampMs);

  // Reads what the server sent, waiting up to timeoutMs for it, and keeps the link alive. False once the
  // link is closed (by the server, a protocol error, silence or a lost connection).
  bool poll(uint32_t timeoutMs);

  // The close handshake: our close frame, the server's answer (or closeWaitMs), then the connection.
  void close(uint16_t code = kCloseNormal);

  // The last "watching" notice; both true until the server said (a server that never says gets all).
  bool watchingCamera() const { return watchingCamera_; }
  bool watchingAudio() const { return watchingAudio_; }
  // Round trip of the last ping answered, ms; 0 before any.
  uint32_t rttMs() const { return rttMs_; }
  // Why the last open failed or the link was lost, for the log.
  const char* lastError() const { return lastError_; }
  int lastStatus() const { return lastStatus_; }
  // The close code the server sent (1000 normal, 4000 replaced by a newer link, 1009 too big...), 0 if none.
  uint16_t serverCloseCode() const { return serverCloseCode_; }
  Backoff& backoff() { return backoff_; }
  uint32_t messagesIgnored() const { return ignored_; }

 private:
  LinkOutcome failOpen(LinkOutcome outcome, const char* why);
  bool readHandshake(const char* expectedAccept, LinkOutcome& outcome);
  bool sendFrame(uint8_t opcode, const Span* spans, size_t count);
  bool sendControl(uint8_t opcode, const uint8_t* payload, size_t length);
  bool consume(const uint8_t* data, size_t len);
  void onMessage();
  void lose(const char* why);

  Transport& transport_;
  const Url& server_;
  const char* token_;
  LinkPlatform& platform_;
  LinkListener& listener_;
  LinkPolicy policy_;
  MessageReader reader_;
  Backoff backoff_;

  bool open_;
  bool closeSent_;
  bool watchingCamera_;
  bool watchingAudio_;
  uint32_t openedAt_;
  bool stable_;
  uint32_t lastReceived_;
  uint32_t lastSent_;
  bool pingOut_;
  uint32_t pingSentAt_;
  uint32_t rttMs_;
  const char* lastError_;
  int lastStatus_;
  uint16_t serverCloseCode_;
  uint32_t ignored_;
  long retryAfterSeconds_;

  uint8_t outgoing_[1024];  // masked bytes on their way out
  uint8_t incoming_[512];   // bytes read, on their way into the reader
};

}  // namespace doorcast
