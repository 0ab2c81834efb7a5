#include "doorcast/button.h"

namespace doorcast {

Debouncer::Debouncer(bool pressedLevel, uint32_t settleMs, uint32_t holdOffMs)
    : pressedLevel_(pressedLevel), settleMs_(settleMs), holdOffMs_(holdOffMs), stable_(!pressedLevel),
      raw_(!pressedLevel), changedAt_(0), pressedBefore_(false), lastPressAt_(0) {}

bool Debouncer::update(bool level, uint32_t nowMs) {
  if (level != raw_) {
    raw_ = level;
    changedAt_ = nowMs;
    return false;
  }
  if (level == stable_ || nowMs - changedAt_ < settleMs_) return false;
  stable_ = level;
  if (stable_ != pressedLevel_) return false;
  if (pressedBefore_ && nowMs - lastPressAt_ < holdOffMs_) return false;
  pressedBefore_ = true;
  lastPressAt_ = nowMs;
  return true;
}

}  // namespace doorcast
