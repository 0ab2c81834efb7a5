// AudioWorklet processor that turns the microphone into the doorbell's PCM: 16 kHz, 16-bit little-endian,
// mono, in chunks of 1024 samples (64 ms, the doorbell's own chunk size), posted to the page as bytes.
//
// The context runs at the device's rate (browsers refuse a microphone in a context at another rate), so
// this resamples: a moving average over one output period (a plain low-pass that keeps most of what lies
// above 8 kHz out), then linear interpolation at each output instant.
class TalkRecorder extends AudioWorkletProcessor {

  constructor(options) {
    super();
    const o = options.processorOptions;
    this.step = sampleRate / o.outputRate; // input samples per output sample, 3 at 48 kHz
    this.taps = Math.max(1, Math.round(this.step));
    this.history = new Float32Array(this.taps);
    this.at = 0;
    this.sum = 0;
    this.last = 0;       // the last smoothed sample of the previous block
    this.position = 1;   // where the next output sample falls, in smoothed samples of this block (0: last)
    this.chunkBytes = o.chunkSamples * 2;
    this.chunk = new DataView(new ArrayBuffer(this.chunkBytes));
    this.filled = 0;
    this.smoothed = new Float32Array(129);
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) {
      return true;
    }
    const n = channel.length;
    if (this.smoothed.length !== n + 1) {
      this.smoothed = new Float32Array(n + 1);
    }
    const s = this.smoothed;
    s[0] = this.last;
    for (let i = 0; i < n; i++) {
      this.sum += channel[i] - this.history[this.at];
      this.history[this.at] = channel[i];
      this.at = (this.at + 1) % this.taps;
      s[i + 1] = this.sum / this.taps;
    }
    this.last = s[n];
    while (this.position < n) {
      const i = Math.floor(this.position);
      const v = s[i] + (s[i + 1] - s[i]) * (this.position - i);
      this.push(v);
      this.position += this.step;
    }
    this.position -= n;
    return true;
  }

  push(v) {
    const clamped = Math.max(-1, Math.min(1, v));
    this.chunk.setInt16(this.filled * 2, Math.round(clamped * 32767), true);
    this.filled++;
    if (this.filled * 2 === this.chunkBytes) {
      // Handed over, not copied: the buffer is the page's from here on, and a new one takes its place.
      const bytes = this.chunk.buffer;
      this.port.postMessage(bytes, [bytes]);
      this.chunk = new DataView(new ArrayBuffer(this.chunkBytes));
      this.filled = 0;
    }
  }
}

registerProcessor('talk-recorder', TalkRecorder);
