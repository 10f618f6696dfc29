// Continuous camera scanning: grab a frame a few times a second, decode it, report new codes.
// A code is reported once while it stays in view; it counts again only after it has left the view
// for a moment (so two identical cartons can be scanned one after the other, but not twice by a wobble).
import { createDetector } from "./decoders.js";

const FRAME_EVERY_MS = 150;
const FORGET_AFTER_MS = 1500;
const MAX_WIDTH = 960;

export class CameraScanner {
  constructor(video, onCode) {
    this.video = video;
    this.onCode = onCode;
    this.canvas = document.createElement("canvas");
    this.running = false;
    this.lastCode = null;
    this.lastSeenAt = 0;
  }

  async start() {
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    this.video.srcObject = this.stream;
    await this.video.play();
    this.detector = await createDetector();
    this.running = true;
    this.tick();
  }

  get torchAvailable() {
    const track = this.stream?.getVideoTracks()[0];
    return Boolean(track?.getCapabilities?.().torch);
  }

  async setTorch(on) {
    await this.stream?.getVideoTracks()[0]?.applyConstraints({ advanced: [{ torch: on }] });
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
    for (const track of this.stream?.getTracks() || []) track.stop();
    this.video.srcObject = null;
  }

  async tick() {
    if (!this.running) return;
    try {
      if (this.video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
        for (const code of await this.detector.detect(this.frame())) this.seen(code);
      }
    } catch (error) {
      console.warn("camera decode failed", error);
    }
    this.timer = setTimeout(() => this.tick(), FRAME_EVERY_MS);
  }

  frame() {
    const scale = Math.min(1, MAX_WIDTH / this.video.videoWidth);
    this.canvas.width = Math.round(this.video.videoWidth * scale);
    this.canvas.height = Math.round(this.video.videoHeight * scale);
    this.canvas.getContext("2d", { willReadFrequently: true }).drawImage(this.video, 0, 0, this.canvas.width, this.canvas.height);
    return this.canvas;
  }

  seen(code) {
    const now = performance.now();
    const repeat = code === this.lastCode && now - this.lastSeenAt < FORGET_AFTER_MS;
    this.lastCode = code;
    this.lastSeenAt = now;
    if (!repeat) this.onCode(code);
  }
}
