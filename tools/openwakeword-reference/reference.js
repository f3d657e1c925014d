// Runs openWakeWord's melspectrogram.onnx + embedding_model.onnx with onnxruntime-node on a fixed synthetic signal,
// using openWakeWord's *batch* pre-processing (AudioFeatures._get_embeddings in openwakeword/utils.py):
//   mel = melspec(int16-valued float32 [1, N])  -> [1, 1, T, 32];  mel = mel / 10 + 2
//   windows mel[i : i + 76] for i = 0, 8, 16, ... (windows shorter than 76 dropped) -> embedding [B, 76, 32, 1] -> [B, 96]
// and writes the signal (int16, base64), slices of the mel frames and every embedding to a JSON fixture, twice: one
// window per run (`embeddings`, as embed_clips does on CPU) and all windows in one batch (`embeddingsBatched`, as
// _get_embeddings does); the two differ by float rounding.
// Usage: node reference.js <models dir holding melspectrogram.onnx and embedding_model.onnx> <out.json>
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const ort = require('onnxruntime-node');

const RATE = 16000;
const SECONDS = 3;
const WINDOW = 76;
const STEP = 8;
const MEL_SLICES = [[0, 24], [140, 164], [273, 297]]; // first, middle and last frames of the 297

// Deterministic test signal: a voiced-like harmonic series with a pitch glide (110 -> 240 Hz) under a 4 Hz
// syllable envelope, a 0.4 s pause in the middle, plus seeded white noise; rounded to int16.
function signal() {
  const n = RATE * SECONDS;
  const x = new Int16Array(n);
  let seed = 12345 >>> 0;
  const noise = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 4294967296 - 0.5; };
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const f0 = 110 + 130 * (t / SECONDS);
    phase += 2 * Math.PI * f0 / RATE;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
    const envelope = (t > 1.3 && t < 1.7) ? 0 : 0.5 * (1 - Math.cos(2 * Math.PI * 4 * t));
    const sample = 0.25 * envelope * v + 0.01 * noise();
    x[i] = Math.max(-32768, Math.min(32767, Math.round(sample * 32767)));
  }
  return x;
}

async function main() {
  const [modelsDir, outPath] = process.argv.slice(2);
  if (!modelsDir || !outPath) throw new Error('usage: node reference.js <models dir> <out.json>');
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' };
  const melPath = path.join(modelsDir, 'melspectrogram.onnx');
  const embPath = path.join(modelsDir, 'embedding_model.onnx');
  const mel = await ort.InferenceSession.create(melPath, options);
  const emb = await ort.InferenceSession.create(embPath, options);

  const pcm = signal();
  const input = Float32Array.from(pcm);
  const melOut = (await mel.run({ input: new ort.Tensor('float32', input, [1, input.length]) }))[mel.outputNames[0]];
  const frames = melOut.dims[2];
  const bins = melOut.dims[3];
  const spec = Float32Array.from(melOut.data, v => v / 10 + 2);

  const starts = [];
  for (let i = 0; i < frames; i += STEP) if (i + WINDOW <= frames) starts.push(i);
  const batch = new Float32Array(starts.length * WINDOW * bins);
  starts.forEach((s, b) => batch.set(spec.subarray(s * bins, (s + WINDOW) * bins), b * WINDOW * bins));
  const embOut = (await emb.run({ [emb.inputNames[0]]: new ort.Tensor('float32', batch, [starts.length, WINDOW, bins, 1]) }))[emb.outputNames[0]];
  const dim = embOut.dims[3];
  const embeddingsBatched = starts.map((_, b) => Array.from(embOut.data.subarray(b * dim, (b + 1) * dim)));
  // embed_clips on CPU maps _get_embeddings_from_melspec over the windows: one window per run.
  const embeddings = [];
  for (const s of starts) {
    const one = new ort.Tensor('float32', spec.slice(s * bins, (s + WINDOW) * bins), [1, WINDOW, bins, 1]);
    embeddings.push(Array.from((await emb.run({ [emb.inputNames[0]]: one }))[emb.outputNames[0]].data));
  }

  const sha = p => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  const fixture = {
    generator: 'tools/openwakeword-reference/reference.js',
    runtime: `onnxruntime-node ${ort.env.versions.node}`,
    melModelSha256: sha(melPath),
    embeddingModelSha256: sha(embPath),
    sampleRate: RATE,
    samples: pcm.length,
    pcmInt16Base64: Buffer.from(pcm.buffer).toString('base64'),
    melFrames: frames,
    melBins: bins,
    melSlices: MEL_SLICES.map(([a, b]) => ({ start: a, frames: Array.from({ length: b - a }, (_, k) => Array.from(spec.subarray((a + k) * bins, (a + k + 1) * bins))) })),
    embeddingDim: dim,
    embeddings,
    embeddingsBatched,
  };
  fs.writeFileSync(outPath, JSON.stringify(fixture));
  console.log(`${pcm.length} samples -> ${frames} mel frames -> ${embeddings.length} embeddings of ${dim}; wrote ${outPath}`);
}

main().catch(e => { console.error(e); process.exit(1); });
