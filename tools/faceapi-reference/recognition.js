// Runs @vladmandic/face-api 1.7.15's FaceRecognitionNet (the 128-d face descriptor; loaded by face-api itself from
// face_recognition_model-weights_manifest.json + .bin) with TF.js's pure-JS cpu backend on four fixed 150x150 RGB
// images and writes inputs and descriptors as JSON: the fixture the C# port (FaceRecognitionNet.cs) is tested against.
//
// usage: node recognition.js MODELS/vladmandic-face-api-1.7.15/model OUT.json [face-crop-150.json]
'use strict';
const fs = require('fs');
const path = require('path');
const { makeInputs, sha256 } = require('./inputs');
// The node-wasm build takes TF.js from @tensorflow/tfjs (it also registers the wasm backend, which we do not use).
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const { tf } = faceapi;
const SIZE = 150;
const FILE = 'face_recognition_model';

const round = (rows) => rows.map((r) => Array.from(r, (v) => Number(v.toPrecision(9))));

async function main() {
  const [modelDir, outPath, facePath = path.join(__dirname, 'face-crop-150.json')] = process.argv.slice(2);
  if (!modelDir || !outPath) throw new Error('usage: node recognition.js MODEL_DIR OUT.json [face-crop-150.json]');
  await tf.setBackend('cpu');
  await tf.ready();
  const net = faceapi.nets.faceRecognitionNet;
  await net.loadFromDisk(modelDir);
  const weights = { manifest: `${FILE}-weights_manifest.json`, bin: `${FILE}.bin`, binSha256: sha256(path.join(modelDir, `${FILE}.bin`)),
    manifestSha256: sha256(path.join(modelDir, `${FILE}-weights_manifest.json`)) };
  const inputs = makeInputs(SIZE, 20260602, facePath);

  // Hand the net tensors (a NetInput of 3-D 150x150x3 tensors, batch mode), not images: the fixture measures the net,
  // not decoding. toBatchTensor(150) neither pads nor resizes a square 150x150 input.
  const images = inputs.pixels.map((p) => tf.tensor3d(p, [SIZE, SIZE, 3], 'float32'));
  const descriptors = round(await net.forwardInput(new faceapi.NetInput(images, true)).array());
  // computeFaceDescriptor one image at a time: the public entry point, and TF.js's own batch-vs-single spread.
  let singleVsBatch = 0;
  for (let i = 0; i < images.length; i++) {
    const one = await net.computeFaceDescriptor(images[i]);
    for (let j = 0; j < one.length; j++) singleVsBatch = Math.max(singleVsBatch, Math.abs(one[j] - descriptors[i][j]));
  }
  if (singleVsBatch > 1e-5) throw new Error(`computeFaceDescriptor and the batched forwardInput differ by ${singleVsBatch}`);

  const distances = descriptors.map((a) => descriptors.map((b) => Math.hypot(...a.map((v, k) => v - b[k]))));
  const fixture = {
    generator: 'tools/faceapi-reference/recognition.js',
    faceApi: faceapi.version,
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    weights,
    preprocessing: 'face-api FaceRecognitionNet.forwardInput: (rgb - [122.782, 117.001, 104.298]) / 255, rgb NHWC in [0,255]',
    inputs: { names: inputs.names, size: SIZE, layout: 'NHWC RGB uint8, base64 per image', rgbBase64: inputs.pixels.map((p) => Buffer.from(p).toString('base64')) },
    outputs: { descriptors, singleVsBatchMaxAbsDiff: singleVsBatch },
  };
  fs.writeFileSync(outPath, JSON.stringify(fixture) + '\n');
  console.log(`${outPath}: ${inputs.names.length} inputs; face-api ${faceapi.version}, tfjs ${tf.version.tfjs} (${tf.getBackend()}); single vs batch ${singleVsBatch}`);
  console.log('euclidean distances:');
  for (let i = 0; i < inputs.names.length; i++)
    console.log(inputs.names[i].padEnd(16), distances[i].map((d) => d.toFixed(4)).join(' '));
}

main().catch((e) => { console.error(e.stack || e.message || e); process.exit(1); });
