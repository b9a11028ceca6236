// The optional sound for new messages: off unless the person turns it on (stored in this browser).
const { localStorage, AudioContext } = globalThis;

const SOUND_KEY = 'liaison.sound';
let audio;

export const sound = {
  get on() { return localStorage.getItem(SOUND_KEY) === '1'; },
  set(on) {
    localStorage.setItem(SOUND_KEY, on ? '1' : '0');
    // Browsers start audio only from a click: make the context now, while we are in one.
    if (on && AudioContext && !audio) audio = new AudioContext();
  },
  /** A short soft tone, when the sound is on. */
  beep() {
    if (!this.on || !AudioContext) return;
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.3);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.3);
  },
};
