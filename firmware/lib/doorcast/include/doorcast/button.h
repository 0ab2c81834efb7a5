// A push button read by polling: a press counts once its level has held for settleMs (contacts bounce
// for a few ms), and presses closer than holdOffMs to the last one are ignored, so that a visitor who
// presses three times rings once.
#pragma once

#include <cstdint>

namespace doorcast {

class Debouncer {
 public:
  // pressedLevel: the level a pressed button reads (false for a button to GND with a pull-up).
  explicit Debouncer(bool pressedLevel = false, uint32_t settleMs = 30, uint32_t holdOffMs = 3000);

  // Takes the level read at nowMs; true exactly once per press that counts.
  bool update(bool level, uint32_t nowMs);
  bool down() const { return stable_ == pressedLevel_; }

 private:
  bool pressedLevel_;
  uint32_t settleMs_;
  uint32_t holdOffMs_;
  bool stable_;
  bool raw_;
  uint32_t changedAt_;
  bool pressedBefore_;
  uint32_t lastPressAt_;
};

}  // namespace doorcast
