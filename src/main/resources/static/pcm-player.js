// AudioWorklet processor that plays the doorbell's live PCM with a small, bounded queue.
//
// The page's fetch reader posts {samples: Float32Array, serverTime} for every network read; serverTime is
// the server-clock time those samples left the server, which is when they arrived from the doorbell.
// Playback starts once targetMs is queued (a cushion against network jitter) and never lets more than
// maxMs pile up: past that the oldest samples are dropped, so what you hear stays within the sync
// window of the live picture instead of drifting behind it.
class PcmPlayer extends AudioWorkletProcessor {

  constructor(options) {
    super();
    const o = options.processorOptions;
    this.inputRate = o.inputRate;
    this.step = o.inputRate / sampleRate; // input samples per output sample; 1 when the context runs at 16 kHz
    this.setLimits(o.targetMs, o.maxMs);
    this.segments = [];
    this.pos = 0;        // read position in segments[0]
    this.queued = 0;     // input samples not yet played
    this.phase = 0;      // resampling position between prev and cur
    this.prev = 0;
    this.cur = 0;
    this.playing = false;
    this.headTime = 0;   // serverTime of the segment being played
    this.underruns = 0;
    this.dropped = 0;    // input samples dropped to stay within maxMs
    this.peak = 0;
    this.lastReport = 0;
    this.port.onmessage = (event) => {
      const m = event.data;
      if (m.samples) {
        this.push(m.samples, m.serverTime);
      } else if (m.maxMs) {
        this.setLimits(m.targetMs ?? this.targetMs, m.maxMs);
      }
    };
  }

  setLimits(targetMs, maxMs) {
    this.targetMs = targetMs;
    this.maxMs = maxMs;
    this.target = Math.round(targetMs * this.inputRate / 1000);
    this.max = Math.round(maxMs * this.inputRate / 1000);
  }

  push(samples, serverTime) {
    this.segments.push({ samples, serverTime });
    this.queued += samples.length;
    if (this.queued > this.max) {
      // Drop back to the target, not just under the max, so that a steady surplus costs one jump now
      // and then rather than a click every chunk.
      this.skip(this.queued - this.target);
    }
  }

  skip(count) {
    this.dropped += count;
    this.queued -= count;
    while (count > 0) {
      const head = this.segments[0];
      const left = head.samples.length - this.pos;
      if (count < left) {
        this.pos += count;
        return;
      }
      count -= left;
      this.segments.shift();
      this.pos = 0;
    }
  }

  take() {
    const head = this.segments[0];
    const value = head.samples[this.pos++];
    this.headTime = head.serverTime;
    this.queued--;
    if (this.pos >= head.samples.length) {
      this.segments.shift();
      this.pos = 0;
    }
    return value;
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    if (!this.playing && this.queued >= this.target) {
      this.playing = true;
    }
    let peak = 0;
    for (let i = 0; i < out.length; i++) {
      if (!this.playing) {
        out[i] = 0;
        continue;
      }
      this.phase += this.step;
      while (this.phase >= 1) {
        if (this.queued === 0) {
          // Ran dry: wait for the cushion to fill again rather than stutter chunk by chunk.
          this.playing = false;
          this.underruns++;
          break;
        }
        this.prev = this.cur;
        this.cur = this.take();
        this.phase -= 1;
      }
      const value = this.playing ? this.prev + (this.cur - this.prev) * this.phase : 0;
      out[i] = value;
      peak = Math.max(peak, Math.abs(value));
    }
    this.peak = Math.max(this.peak, peak);
    if (currentTime - this.lastReport >= 0.1) {
      this.lastReport = currentTime;
      this.port.postMessage({
        playing: this.playing,
        queuedMs: this.queued * 1000 / this.inputRate,
        headTime: this.headTime,
        underruns: this.underruns,
        droppedMs: this.dropped * 1000 / this.inputRate,
        peak: this.peak,
      });
      this.peak = 0;
    }
    return true;
  }
}

registerProcessor('pcm-player', PcmPlayer);
